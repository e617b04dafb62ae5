"""The timetable protocol and the classic kinds: cron (and presets), timedelta, once, none."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from cron_descriptor import ExpressionDescriptor, Options
from croniter import croniter

PRESETS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
}


@dataclass(frozen=True)
class DataInterval:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class NextRun:
    logical_date: datetime
    data_interval: DataInterval

    @property
    def create_after(self) -> datetime:
        """A scheduled run for [start, end) may be created once ``end`` has passed."""
        return self.data_interval.end


@dataclass(frozen=True)
class Bounds:
    """What the next run depends on besides the last one: the DAG's dates, catchup, the clock."""

    start_date: datetime | None
    end_date: datetime | None
    catchup: bool
    now: datetime

    def past_end(self, moment: datetime) -> bool:
        return self.end_date is not None and moment > self.end_date


class Timetable:
    """Answers "what is the next scheduled run?" from stored fields only.

    Each kind implements :meth:`next_within`; :meth:`next_run` is the one
    keyword signature callers use.
    """

    summary: str = ""
    periodic: bool = True

    def next_run(
        self,
        last: DataInterval | None,
        *,
        start_date: datetime | None,
        end_date: datetime | None,
        catchup: bool,
        now: datetime,
    ) -> NextRun | None:
        """The run after ``last`` (or the first one), or None if there is none."""
        return self.next_within(last, Bounds(start_date, end_date, catchup, now))

    def next_within(self, last: DataInterval | None, bounds: Bounds) -> NextRun | None:
        raise NotImplementedError

    def manual_interval(self, at: datetime) -> DataInterval:
        """The data interval a manual run triggered at ``at`` covers."""
        return DataInterval(at, at)


class _IntervalTimetable(Timetable):
    """Shared catch-up logic for timetables made of back-to-back intervals."""

    def _align(self, moment: datetime) -> datetime:
        """The first interval boundary at or after ``moment``."""
        raise NotImplementedError

    def _after(self, boundary: datetime) -> datetime:
        raise NotImplementedError

    def _before(self, boundary: datetime) -> datetime:
        raise NotImplementedError

    def _latest_complete_start(self, now: datetime) -> datetime:
        """Start of the newest interval that has fully ended by ``now``."""
        end = self._align(now)
        if end > now:
            end = self._before(end)
        return self._before(end)

    def next_within(self, last: DataInterval | None, bounds: Bounds) -> NextRun | None:
        if bounds.start_date is None:
            return None
        first = self._align(bounds.start_date)
        start = max(first, self._align(last.end)) if last else first
        if not bounds.catchup:
            start = max(start, self._latest_complete_start(bounds.now))
        if bounds.past_end(start):
            return None
        return NextRun(start, DataInterval(start, self._after(start)))


class CronTimetable(_IntervalTimetable):
    def __init__(self, expression: str, timezone: str = "UTC", written: str | None = None):
        self.expression = PRESETS.get(expression, expression)
        self.tz = ZoneInfo(timezone)
        text = describe_cron(self.expression)
        self.summary = text if timezone == "UTC" else f"{text} ({timezone})"
        self.written = written or expression
        self._cron: croniter | None = None

    def _iter(self, moment: datetime) -> croniter:
        """The expression's iterator, set to ``moment``: parsed once per timetable (parsing
        cost more than a step, and publishing a new DAG takes several steps)."""
        local = moment.astimezone(self.tz)
        if self._cron is None:
            self._cron = croniter(self.expression, local)
        self._cron.set_current(local, force=True)
        return self._cron

    def _align(self, moment: datetime) -> datetime:
        if self._at_or_before(moment) == moment:
            return moment.astimezone(UTC)
        return self._after(moment)

    def _at_or_before(self, moment: datetime) -> datetime:
        """The latest tick at or before ``moment``, exactly: ``croniter.match`` would parse
        the expression again and count any moment within a minute after a tick as on it."""
        return self._before(moment + timedelta(microseconds=1))

    def _after(self, boundary: datetime) -> datetime:
        moment: datetime = self._iter(boundary).get_next(datetime)
        return moment.astimezone(UTC)

    def _before(self, boundary: datetime) -> datetime:
        moment: datetime = self._iter(boundary).get_prev(datetime)
        return moment.astimezone(UTC)

    def manual_interval(self, at: datetime) -> DataInterval:
        end = self._at_or_before(at)
        return DataInterval(self._before(end), end)


class DeltaTimetable(_IntervalTimetable):
    """Intervals of a fixed length counted from the DAG's start date."""

    def __init__(self, seconds: int, anchor: datetime | None):
        self.delta = timedelta(seconds=seconds)
        self.anchor = anchor or datetime(1970, 1, 1, tzinfo=UTC)
        self.summary = f"Every {human_delta(seconds)}"

    def _align(self, moment: datetime) -> datetime:
        steps = -((self.anchor - moment) // self.delta)  # ceiling division
        return self.anchor + max(steps, 0) * self.delta if moment >= self.anchor else self.anchor

    def _after(self, boundary: datetime) -> datetime:
        return boundary + self.delta

    def _before(self, boundary: datetime) -> datetime:
        return boundary - self.delta

    def manual_interval(self, at: datetime) -> DataInterval:
        return DataInterval(at - self.delta, at)


class OnceTimetable(Timetable):
    summary = "Once, at the start date"
    periodic = False

    def next_within(self, last: DataInterval | None, bounds: Bounds) -> NextRun | None:
        start = bounds.start_date
        if last is not None or start is None:
            return None
        return NextRun(start, DataInterval(start, start))


class NullTimetable(Timetable):
    summary = "Never: triggered runs only"
    periodic = False

    def next_within(self, last: DataInterval | None, bounds: Bounds) -> NextRun | None:
        return None


@functools.lru_cache(maxsize=1024)
def describe_cron(expression: str) -> str:
    """A cron expression in words, 24-hour clock ("At 02:00"); remembered, since
    thousands of DAGs share a few expressions and describing one takes a millisecond."""
    options = Options()
    options.use_24hour_time_format = True
    text: str = ExpressionDescriptor(expression, options).get_description()
    return text


def human_delta(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"

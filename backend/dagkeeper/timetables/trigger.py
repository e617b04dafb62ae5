"""Trigger timetables: a run *at* each tick, not after an interval ends (the peer's semantics).

The run for tick ``T`` may be created once ``T`` has passed; its data
interval is ``[T - interval, T]`` (empty unless ``interval`` is given) and its
logical date is the interval's start. With catchup the ticks follow one
another from the start date; without it the next run is the latest tick at
or before now (missed ticks are skipped), or the next future one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter

from dagkeeper.timetables.kinds import (
    PRESETS,
    Bounds,
    DataInterval,
    NextRun,
    Timetable,
    describe_cron,
    human_delta,
)


class _TriggerTimetable(Timetable):
    interval = timedelta(0)

    def _next_tick(self, after: datetime) -> datetime:
        """The first tick strictly after ``after``."""
        raise NotImplementedError

    def _tick_at_or_after(self, moment: datetime) -> datetime:
        raise NotImplementedError

    def _tick_at_or_before(self, moment: datetime) -> datetime:
        raise NotImplementedError

    def next_tick(
        self, last: DataInterval | None, start_date: datetime, bounds: Bounds
    ) -> datetime:
        """The tick of the run after ``last`` (or of the first run), before the end date check."""
        if bounds.catchup:
            return self._next_tick(last.end) if last else self._tick_at_or_after(start_date)
        candidates = [self._tick_at_or_before(bounds.now), self._tick_at_or_after(start_date)]
        if last is not None:
            candidates.append(self._next_tick(last.end))
        return max(candidates)

    def next_within(self, last: DataInterval | None, bounds: Bounds) -> NextRun | None:
        if bounds.start_date is None:
            return None
        tick = self.next_tick(last, bounds.start_date, bounds)
        if bounds.past_end(tick):
            return None
        return self.run_at(tick)

    def run_at(self, tick: datetime) -> NextRun:
        start = tick - self.interval
        return NextRun(start, DataInterval(start, tick))

    def manual_interval(self, at: datetime) -> DataInterval:
        return DataInterval(at - self.interval, at)


class CronTriggerTimetable(_TriggerTimetable):
    """Ticks of a cron expression in a timezone.

    Across a DST fall-back a wall-clock time happens twice; a cron with fixed
    hours ticks at the first one only (once a day, as a user expects), while
    an every-hour cron ticks at both, since both hours really pass.
    """

    def __init__(self, expression: str, timezone: str = "UTC", interval_seconds: int = 0):
        self.expression = PRESETS.get(expression, expression)
        self.tz = ZoneInfo(timezone)
        self.interval = timedelta(seconds=interval_seconds)
        self._fixed_hours = self.expression.split()[1] != "*"
        text = describe_cron(self.expression)
        if interval_seconds:
            text += f", covering the previous {human_delta(interval_seconds)}"
        self.summary = text if timezone == "UTC" else f"{text} ({timezone})"

    def _iter(self, moment: datetime) -> croniter:
        return croniter(self.expression, moment.astimezone(self.tz))

    def _repeated(self, tick: datetime) -> bool:
        """Whether ``tick`` is the second pass of a wall-clock time a fall-back repeats."""
        local = tick.astimezone(UTC).astimezone(self.tz)
        return (
            self._fixed_hours
            and local.fold == 1
            and local.utcoffset() != local.replace(fold=0).utcoffset()
        )

    def _next_tick(self, after: datetime) -> datetime:
        iterator = self._iter(after)
        while True:
            tick: datetime = iterator.get_next(datetime)
            if not self._repeated(tick):
                return tick.astimezone(UTC)

    def _tick_at_or_after(self, moment: datetime) -> datetime:
        if self._matches(moment):
            return moment.astimezone(UTC)
        return self._next_tick(moment)

    def _tick_at_or_before(self, moment: datetime) -> datetime:
        if self._matches(moment):
            return moment.astimezone(UTC)
        iterator = self._iter(moment)
        while True:
            tick: datetime = iterator.get_prev(datetime)
            if not self._repeated(tick):
                return tick.astimezone(UTC)

    def _matches(self, moment: datetime) -> bool:
        local = moment.astimezone(self.tz)
        whole_minute = local.second == 0 and local.microsecond == 0
        return whole_minute and not self._repeated(local) and croniter.match(self.expression, local)


class DeltaTriggerTimetable(_TriggerTimetable):
    """A tick every ``delta`` counted from the first run (the start date, or now without catchup)."""

    def __init__(self, seconds: int, interval_seconds: int = 0):
        self.delta = timedelta(seconds=seconds)
        self.interval = timedelta(seconds=interval_seconds)
        self.summary = f"Every {human_delta(seconds)}, at the tick"

    def _next_tick(self, after: datetime) -> datetime:
        return after + self.delta

    def _tick_at_or_after(self, moment: datetime) -> datetime:
        return moment

    def _tick_at_or_before(self, moment: datetime) -> datetime:
        return moment


class MultipleCronTriggerTimetable(_TriggerTimetable):
    """Several cron trigger timetables as one: the soonest tick of any of them.

    Without catchup the peer prefers, among the candidates, the latest one not
    in the future, else the earliest future one; so do we.
    """

    def __init__(self, expressions: list[str], timezone: str = "UTC", interval_seconds: int = 0):
        self.parts = [CronTriggerTimetable(e, timezone, interval_seconds) for e in expressions]
        self.interval = timedelta(seconds=interval_seconds)
        text = "; ".join(describe_cron(PRESETS.get(e, e)) for e in expressions)
        self.summary = text if timezone == "UTC" else f"{text} ({timezone})"

    def next_tick(
        self, last: DataInterval | None, start_date: datetime, bounds: Bounds
    ) -> datetime:
        ticks = [p.next_tick(last, start_date, bounds) for p in self.parts]
        past = [t for t in ticks if t <= bounds.now]
        return max(past) if past and not bounds.catchup else min(ticks)

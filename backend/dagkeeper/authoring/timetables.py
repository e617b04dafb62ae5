"""The peer's timetable classes, as DAG authors write them: ``schedule=CronTriggerTimetable(...)``.

They hold and check their arguments only; :meth:`document` turns each into
the stored schedule object, and the scheduler and web server compute from
that data (``dagkeeper.timetables``), never from these objects.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.serialization.schemas import MAX_SCHEDULE_EVENTS


def _zone_name(timezone: Any) -> str | None:
    """An IANA name from a string, a ``ZoneInfo`` or a pendulum timezone (None: the DAG's)."""
    if timezone is None:
        return None
    name = timezone if isinstance(timezone, str) else getattr(timezone, "key", None)
    name = name or getattr(timezone, "name", None)
    if name == "utc":
        name = "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise DagDefinitionError(f"Invalid timezone {timezone!r}: use an IANA name") from exc
    return str(name)


def _seconds(what: str, delta: Any, *, positive: bool) -> int:
    if not isinstance(delta, timedelta):
        raise DagDefinitionError(f"{what} must be a datetime.timedelta, got {delta!r}")
    seconds = delta.total_seconds()
    if seconds < 0 or (positive and seconds == 0) or not seconds.is_integer():
        need = "positive" if positive else "non-negative"
        raise DagDefinitionError(f"Invalid {what} {delta!r}: use {need} whole seconds")
    return int(seconds)


PRESETS = ("@hourly", "@daily", "@weekly", "@monthly", "@yearly")


def checked_cron(text: Any) -> str:
    """``text`` if it is a preset or a valid five-field cron expression."""
    if isinstance(text, str) and text in PRESETS:
        return text
    # Five fields only: croniter would also take a sixth (seconds) field that
    # the rest of the system does not schedule by.
    if not isinstance(text, str) or len(text.split()) != 5 or not croniter.is_valid(text):
        raise DagDefinitionError(
            f"Invalid schedule {text!r}: not a valid five-field cron expression "
            "(minute hour day-of-month month day-of-week)"
        )
    return text


class CronTriggerTimetable:
    """Run at each tick of ``cron``; the data interval is the ``interval`` before the tick."""

    def __init__(
        self, cron: str, *, timezone: Any = None, interval: timedelta = timedelta(0), **_: Any
    ):
        self.expression = checked_cron(cron)
        self.timezone = _zone_name(timezone)
        self.interval = _seconds("interval", interval, positive=False)

    def document(self) -> dict[str, Any]:
        return {"kind": "cron_trigger", "expression": self.expression, "seconds": None,
                "timezone": self.timezone, "interval": self.interval}  # fmt: skip


class MultipleCronTriggerTimetable:
    """Run at each tick of any of several cron expressions."""

    def __init__(
        self, *crons: str, timezone: Any = None, interval: timedelta = timedelta(0), **_: Any
    ):
        if not crons:
            raise DagDefinitionError("MultipleCronTriggerTimetable needs at least one cron")
        self.expressions = [checked_cron(c) for c in crons]
        self.timezone = _zone_name(timezone)
        self.interval = _seconds("interval", interval, positive=False)

    def document(self) -> dict[str, Any]:
        return {"kind": "multi_cron_trigger", "expression": None, "seconds": None,
                "expressions": self.expressions, "timezone": self.timezone,
                "interval": self.interval}  # fmt: skip


class DeltaTriggerTimetable:
    """Run every ``delta``, at the tick; the data interval is the ``interval`` before it."""

    def __init__(self, delta: timedelta, *, interval: timedelta = timedelta(0), **_: Any):
        self.seconds = _seconds("delta", delta, positive=True)
        self.interval = _seconds("interval", interval, positive=False)

    def document(self) -> dict[str, Any]:
        return {"kind": "delta_trigger", "expression": None, "seconds": self.seconds,
                "interval": self.interval}  # fmt: skip


class EventsTimetable:
    """Run at each of ``event_dates`` (naive ones are UTC); manual runs snap to an event
    when ``restrict_to_events``."""

    def __init__(
        self,
        event_dates: Any,
        restrict_to_events: bool = False,
        presorted: bool = False,
        description: str | None = None,
    ):
        events = [_aware(d) for d in event_dates]
        if len(events) > MAX_SCHEDULE_EVENTS:
            raise DagDefinitionError(f"EventsTimetable takes at most {MAX_SCHEDULE_EVENTS} events")
        # ``presorted`` only spared the peer a sort; the stored list is sorted either way.
        self.events = sorted(set(events))
        self.restrict_to_events = bool(restrict_to_events)
        if description is not None and not isinstance(description, str):
            raise DagDefinitionError(f"description must be a string, got {description!r}")
        self.description = description

    def document(self) -> dict[str, Any]:
        return {"kind": "events", "expression": None, "seconds": None,
                "events": [e.isoformat() for e in self.events],
                "restrict_to_events": self.restrict_to_events,
                "description": self.description}  # fmt: skip


def _aware(value: Any) -> datetime:
    if not isinstance(value, datetime):
        raise DagDefinitionError(f"event dates must be datetimes, got {value!r}")
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(tzinfo=UTC)


TIMETABLES = (
    CronTriggerTimetable, MultipleCronTriggerTimetable, DeltaTriggerTimetable, EventsTimetable,
)  # fmt: skip

"""The timetable of a stored schedule object: the one reader of its fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dagkeeper.timetables.events import EventsTimetable
from dagkeeper.timetables.kinds import (
    CronTimetable,
    DeltaTimetable,
    NullTimetable,
    OnceTimetable,
    Timetable,
)
from dagkeeper.timetables.trigger import (
    CronTriggerTimetable,
    DeltaTriggerTimetable,
    MultipleCronTriggerTimetable,
)


def timetable_for(
    schedule: dict[str, Any], timezone: str = "UTC", start_date: datetime | None = None
) -> Timetable:
    """Build the timetable of a stored schedule ``{"kind", "expression", "seconds", ...}``.

    ``timezone`` is the DAG's; a trigger schedule may name its own.
    """
    kind = schedule["kind"]
    zone = schedule.get("timezone") or timezone
    interval = schedule.get("interval") or 0
    if kind in ("cron", "preset"):
        return CronTimetable(schedule["expression"], timezone)
    if kind == "timedelta":
        return DeltaTimetable(schedule["seconds"], start_date)
    if kind == "cron_trigger":
        return CronTriggerTimetable(schedule["expression"], zone, interval)
    if kind == "multi_cron_trigger":
        return MultipleCronTriggerTimetable(schedule["expressions"], zone, interval)
    if kind == "delta_trigger":
        return DeltaTriggerTimetable(schedule["seconds"], interval)
    if kind == "events":
        events = [datetime.fromisoformat(e) for e in schedule["events"]]
        return EventsTimetable(events, schedule["restrict_to_events"], schedule["description"])
    if kind == "once":
        return OnceTimetable()
    if kind == "none":
        return NullTimetable()
    raise ValueError(f"unknown schedule kind {kind!r}")

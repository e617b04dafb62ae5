"""Turn the ``schedule=`` argument of a DAG into the document's typed schedule.

Validated when the DAG is defined, so a typo in a cron expression is an import
error on the DAG file rather than a scheduler surprise later.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.timetables import PRESETS, TIMETABLES, checked_cron

ONCE = "@once"


def schedule_document(schedule: Any) -> dict[str, Any]:
    """``{"kind", "expression", "seconds", ...}`` for None, a cron string, a preset, a timedelta
    or a timetable object."""
    if schedule is None:
        return {"kind": "none", "expression": None, "seconds": None}
    if isinstance(schedule, timedelta):
        return _timedelta(schedule)
    if isinstance(schedule, str):
        return _text(schedule)
    if isinstance(schedule, TIMETABLES):
        return schedule.document()
    raise DagDefinitionError(
        f"Invalid schedule {schedule!r}: use None, a cron string, one of "
        f"{', '.join(PRESETS)}, {ONCE}, a datetime.timedelta or a timetable "
        f"({', '.join(t.__name__ for t in TIMETABLES)})"
    )


def _timedelta(delta: timedelta) -> dict[str, Any]:
    seconds = delta.total_seconds()
    if seconds <= 0:
        raise DagDefinitionError(f"Invalid schedule {delta!r}: a timedelta must be positive")
    if not seconds.is_integer():
        raise DagDefinitionError(f"Invalid schedule {delta!r}: use whole seconds")
    return {"kind": "timedelta", "expression": None, "seconds": int(seconds)}


def _text(text: str) -> dict[str, Any]:
    if text == ONCE:
        return {"kind": "once", "expression": ONCE, "seconds": None}
    if text in PRESETS:
        return {"kind": "preset", "expression": text, "seconds": None}
    if text.startswith("@"):
        raise DagDefinitionError(
            f"Invalid schedule {text!r}: unknown preset; valid presets are "
            f"{', '.join(PRESETS)} and {ONCE}"
        )
    return {"kind": "cron", "expression": checked_cron(text), "seconds": None}

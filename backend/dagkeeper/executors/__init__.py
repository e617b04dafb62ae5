"""Executors: run queued task instances somewhere and report when their processes end.

Only ``local`` exists. The scheduler hands it :class:`TaskKey` values and
reads back :class:`TaskExit` values; an executor never touches the database.
"""

from __future__ import annotations

from typing import NamedTuple


class TaskKey(NamedTuple):
    """One try of one task instance, and the identifiers its runner command takes."""

    ti_id: int
    try_number: int
    dag_id: str
    run_id: str
    task_id: str


class TaskExit(NamedTuple):
    key: TaskKey
    pid: int | None
    exit_code: int  # negative: killed by that signal

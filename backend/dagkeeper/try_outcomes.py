"""How a try ends when it fails: retry or fail, shared by the runner and the scheduler.

The runner records failures it sees (an exception, a timeout); the scheduler
records the ones nobody else can (a runner process that died, a heartbeat that
stopped). Both follow the same state machine and leave a line in the log.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dagkeeper.models import TaskInstance, TaskLog, TaskState, archive_try

# What runners record and the heartbeat check compares; a worker passes its --hostname down.
HOSTNAME = os.environ.get("DAGKEEPER_HOSTNAME") or socket.gethostname()


def finish_try(ti: TaskInstance, state: str, now: datetime) -> None:
    """Stamp the end of the current try with its outcome; its runner is gone (released)."""
    ti.state = state
    ti.last_heartbeat_at = None
    ti.end_date = now
    ti.duration = (now - ti.start_date).total_seconds() if ti.start_date else None


def fail_or_retry(session: Session, ti: TaskInstance, retry_delay: float, now: datetime) -> str:
    """End the current try as failed; it becomes up_for_retry while tries remain.

    The failed try is archived first, so its record (and its log, keyed by try
    number) stays visible after the next try starts.
    """
    finish_try(ti, TaskState.FAILED, now)
    if ti.try_number < ti.max_tries:
        archive_try(session, ti)
        ti.state = TaskState.UP_FOR_RETRY
        ti.next_try_at = now + timedelta(seconds=retry_delay)
        return TaskState.UP_FOR_RETRY
    return TaskState.FAILED


def log_end_offset(session: Session, ti_id: int, try_number: int) -> int:
    """Character offset just after the last stored chunk of a try's log."""
    last = session.execute(
        select(TaskLog.offset, TaskLog.content)
        .where(TaskLog.task_instance_id == ti_id, TaskLog.try_number == try_number)
        .order_by(TaskLog.offset.desc())
        .limit(1)
    ).first()
    return last.offset + len(last.content) if last else 0


def append_log(session: Session, ti_id: int, try_number: int, text: str) -> None:
    """Append a chunk to a try's log (for writers other than the try's own runner)."""
    if not text.endswith("\n"):
        text += "\n"
    offset = log_end_offset(session, ti_id, try_number)
    session.add(TaskLog(task_instance_id=ti_id, try_number=try_number, offset=offset, content=text))

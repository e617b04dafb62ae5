"""How a try ends when it fails: retry or fail, shared by the runner and the scheduler.

The runner records failures it sees (an exception, a timeout); the scheduler
records the ones nobody else can (a runner process that died, a heartbeat that
stopped). Both follow the same state machine and leave a line in the log.

A try can also *pause* (a sensor rescheduled, a task deferred to a trigger)
and later continue at the same try number: ``continues_try`` tells the
scheduler's queueing step not to start a new try. The scheduler sets it when
a due reschedule becomes scheduled, the triggerer when a trigger fires
(:func:`resume_try`); a clear goes through state None, which resets it.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dagkeeper.models import TaskInstance, TaskLog, TaskState, Trigger, archive_try

# What runners record and the heartbeat check compares; a worker passes its --hostname down.
HOSTNAME = os.environ.get("DAGKEEPER_HOSTNAME") or socket.gethostname()


def finished_values(state: str, start_date: datetime | None, now: datetime) -> dict[str, Any]:
    """The columns that stamp the end of a try with its outcome; its runner is gone (released).

    The runner writes them with one guarded UPDATE (:func:`finish_try` sets them on a
    loaded row), so both stamp a try's end the same way.
    """
    return {
        "state": state,
        "last_heartbeat_at": None,
        "end_date": now,
        "duration": (now - start_date).total_seconds() if start_date else None,
    }


def finish_try(ti: TaskInstance, state: str, now: datetime) -> None:
    """Stamp the end of the current try of a loaded row (see :func:`finished_values`)."""
    for name, value in finished_values(state, ti.start_date, now).items():
        setattr(ti, name, value)


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


def reschedule_try(
    ti: TaskInstance, next_poke_at: datetime, first_poke_at: datetime, poke_count: int,
    now: datetime,
) -> str:  # fmt: skip
    """Pause a sensor's try until ``next_poke_at``; its timeout keeps counting from the first poke."""
    finish_try(ti, TaskState.UP_FOR_RESCHEDULE, now)
    ti.next_poke_at = next_poke_at
    ti.first_poke_at = first_poke_at
    ti.poke_count = poke_count
    return TaskState.UP_FOR_RESCHEDULE


def defer_try(
    session: Session, ti: TaskInstance, kind: str, args: str, next_method: str,
    next_kwargs: str, now: datetime,
) -> str:  # fmt: skip
    """Pause a try until its trigger (``kind`` + checked JSON ``args``) fires in the triggerer."""
    trigger = Trigger(kind=kind, args=args, created_at=now)
    session.add(trigger)
    session.flush()
    finish_try(ti, TaskState.DEFERRED, now)
    ti.trigger_id = trigger.id
    ti.next_method = next_method
    ti.next_kwargs = next_kwargs
    return TaskState.DEFERRED


def resume_try(ti: TaskInstance, next_kwargs: str) -> None:
    """A fired trigger's task: scheduled to continue its try with ``next_method(**next_kwargs)``."""
    ti.state = TaskState.SCHEDULED
    ti.continues_try = True
    ti.trigger_id = None
    ti.next_kwargs = next_kwargs


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

"""Tries whose runner is gone: a process that exited without a final state, a silent heartbeat.

A runner writes its own outcome before it exits. If its process ended and
the task instance is still queued or running at that try, nobody else will
finish it: the scheduler fails it (or sends it to retry) with a log line
saying why. The same happens to a running try whose heartbeat is older than
the timeout, unless its runner process is visibly alive on this host: a
runner that cannot renew its heartbeat kills its own task after half the
timeout, so by then that try's task is gone.

A try cleared or marked while it ran keeps its runner's lease
(``last_heartbeat_at``) until the runner has stopped its task; if the
runner died instead, its exit (seen here) or the expired heartbeat releases
the lease, and the next try may start.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from dagkeeper.executors import TaskExit
from dagkeeper.models import ChangeKind, DagRun, TaskInstance, TaskState
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.try_outcomes import HOSTNAME, append_log, fail_or_retry


def _retry_delay(session: Session, documents: DocumentCache, ti: TaskInstance) -> float:
    version_id = session.scalar(select(DagRun.dag_version_id).where(DagRun.id == ti.dag_run_id))
    return documents.get(session, version_id).document.retry_delay(ti.task_id, ti.try_number)


def _fail(session: Session, documents: DocumentCache, ti: TaskInstance, why: str, now) -> None:
    state = fail_or_retry(session, ti, _retry_delay(session, documents, ti), now)
    append_log(session, ti.id, ti.try_number, f"[dagkeeper scheduler] {why}; marked {state}")


def _exit_reason(exit_code: int) -> str:
    if exit_code < 0:
        return f"was killed by signal {-exit_code}"
    return f"exited with code {exit_code}"


def _exit_action(ti, exit: TaskExit) -> str | None:
    """What an exit asks of its try: ``release`` its lease, ``fail`` it, or nothing (None)."""
    if ti is None or ti.try_number != exit.key.try_number:
        return None
    ours = ti.pid == exit.pid
    if ti.state != TaskState.RUNNING and ours and ti.last_heartbeat_at is not None:
        return "release"  # a fenced runner died before releasing its try
    if ti.state == TaskState.QUEUED or (ti.state == TaskState.RUNNING and ours):
        return "fail"
    return None  # finished normally, or another process owns this try


def exits_to_handle(session: Session, exits: list[TaskExit]) -> list[TaskExit]:
    """The exits :func:`handle_exits` has work for, from one plain read.

    Nearly every runner records its own outcome before it exits, so most
    passes need no write transaction (and no SQLite write lock) for exits.
    """
    rows = {
        row.id: row
        for row in session.execute(
            select(
                TaskInstance.id,
                TaskInstance.try_number,
                TaskInstance.state,
                TaskInstance.pid,
                TaskInstance.last_heartbeat_at,
            ).where(TaskInstance.id.in_({exit.key.ti_id for exit in exits}))
        )
    }
    return [exit for exit in exits if _exit_action(rows.get(exit.key.ti_id), exit)]


def handle_exits(
    session: Session, documents: DocumentCache, exits: list[TaskExit], now: datetime
) -> list[tuple[str, str]]:
    """Fail the tries whose process ended without recording a final state."""
    changes = []
    for exit in exits:
        ti = session.get(TaskInstance, exit.key.ti_id, with_for_update=True)
        action = _exit_action(ti, exit)
        if action is None:
            continue
        assert ti is not None
        if action == "release":
            ti.last_heartbeat_at = None
        else:
            why = (
                f"task process {exit.pid} {_exit_reason(exit.exit_code)} without recording a state"
            )
            _fail(session, documents, ti, why, now)
        changes.append((ti.dag_id, ChangeKind.RUN))
    return changes


def _alive_here(ti: TaskInstance) -> bool:
    if ti.hostname != HOSTNAME or not ti.pid:
        return False
    try:
        os.kill(ti.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale_query(timeout: float, now: datetime):
    limit = now - timedelta(seconds=timeout)
    return select(TaskInstance).where(
        TaskInstance.state == TaskState.RUNNING,
        or_(
            TaskInstance.last_heartbeat_at < limit,
            TaskInstance.last_heartbeat_at.is_(None) & (TaskInstance.start_date < limit),
        ),
    )


def _stale_leases(timeout: float, now: datetime):
    """Tries no longer running whose runner never released them and has been silent too long."""
    return (TaskInstance.state.is_(None) | (TaskInstance.state != TaskState.RUNNING)) & (
        TaskInstance.last_heartbeat_at < now - timedelta(seconds=timeout)
    )


def stale_tries_exist(session: Session, timeout: float, now: datetime) -> bool:
    """Whether :func:`check_heartbeats` has work (a read, so no write lock is taken)."""
    if session.scalar(select(TaskInstance.id).where(_stale_leases(timeout, now)).limit(1)):
        return True
    return any(not _alive_here(ti) for ti in session.scalars(_stale_query(timeout, now)))


def check_heartbeats(
    session: Session, documents: DocumentCache, timeout: float, now: datetime
) -> list[tuple[str, str]]:
    """Fail running tries whose runner stopped heartbeating more than ``timeout`` s ago."""
    released = session.execute(
        update(TaskInstance)
        .where(_stale_leases(timeout, now))
        .values(last_heartbeat_at=None)
        .returning(TaskInstance.dag_id)
        .execution_options(synchronize_session=False)
    ).all()
    changes = [(dag_id, ChangeKind.RUN) for (dag_id,) in released]
    stale = session.scalars(_stale_query(timeout, now).with_for_update(skip_locked=True)).all()
    for ti in stale:
        if _alive_here(ti):
            continue
        why = f"no heartbeat from the runner (pid {ti.pid} on {ti.hostname}) for over {timeout:g} s"
        _fail(session, documents, ti, why, now)
        changes.append((ti.dag_id, ChangeKind.RUN))
    return changes

"""DAG runs: create scheduled ones from timetables, start queued ones.

Scheduled runs follow data-interval semantics: the run for ``[start, end)``
is created once ``end`` has passed, with ``start`` as its logical date. The
next run is recomputed from the latest scheduled run at creation time, so a
DAG unpaused after a long pause with ``catchup=False`` gets the latest
interval only, and the ``dag`` row's next-run fields are a hint kept up to
date in the same transaction.

Two schedulers on PostgreSQL lock disjoint due ``dag`` rows (``FOR UPDATE
SKIP LOCKED``); SQLite has one writer at a time and is meant for one
scheduler. The unique constraints on ``(dag_id, logical_date)`` and
``(dag_id, run_id)`` make a duplicate run impossible either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from dagkeeper.backfills import finished_backfills, startable_backfills
from dagkeeper.config import load_settings
from dagkeeper.models import (
    DEFAULT_POOL,
    Backfill,
    ChangeKind,
    Dag,
    DagRun,
    RunState,
    RunType,
    TaskInstance,
)
from dagkeeper.next_run import last_interval, next_run, store_next_run, timetable_of
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.timetables import NextRun

ACTIVE_RUN_STATES = (RunState.QUEUED, RunState.RUNNING)


def scheduled_run_id(logical_date: datetime) -> str:
    return f"scheduled__{logical_date.isoformat()}"


def _due_dags(
    session: Session,
    now: datetime,
    exhausted: set[tuple[str, int]],
    limit: int,
    lock: bool = True,
) -> list[Dag]:
    query = (
        select(Dag)
        .where(
            Dag.is_active.is_(True),
            Dag.is_paused.is_(False),
            Dag.current_version_id.is_not(None),
            Dag.schedule_kind != "none",
            or_(Dag.next_dagrun_create_after <= now, Dag.next_dagrun_create_after.is_(None)),
        )
        .order_by(Dag.next_dagrun_create_after, Dag.dag_id)
        .limit(limit)
    )
    dags = session.scalars(query.with_for_update(skip_locked=True) if lock else query).all()
    return [
        d
        for d in dags
        if d.next_dagrun_create_after is not None
        or (d.dag_id, d.current_version_id) not in exhausted
    ]


def scheduled_runs_due(session: Session, now: datetime, exhausted: set[tuple[str, int]]) -> bool:
    """Whether :func:`create_scheduled_runs` has work (a read, so no write lock is taken)."""
    return bool(_due_dags(session, now, exhausted, limit=50, lock=False))


def queued_runs_exist(session: Session) -> bool:
    """Whether a queued run may start (runs of paused or full backfills may not)."""
    query = select(DagRun.id).where(DagRun.state == RunState.QUEUED, startable_backfills())
    return session.scalar(query.limit(1)) is not None


def create_scheduled_runs(
    session: Session,
    documents: DocumentCache,
    now: datetime,
    exhausted: set[tuple[str, int]],
    limit: int = 50,
) -> list[tuple[str, str]]:
    """Create every due scheduled run (within max_active_runs); returns the changes made.

    ``exhausted`` remembers (dag_id, version id) pairs whose timetable has no
    next run, so they are not recomputed on every pass.
    """
    changes: list[tuple[str, str]] = []
    for dag in _due_dags(session, now, exhausted, limit):
        doc = documents.get(session, dag.current_version_id).document
        timetable = timetable_of(doc)
        last = last_interval(session, dag.dag_id)
        active = session.scalar(
            select(func.count())
            .select_from(DagRun)
            .where(
                DagRun.dag_id == dag.dag_id,
                DagRun.state.in_(ACTIVE_RUN_STATES),
                DagRun.backfill_id.is_(None),  # a backfill's runs count against its own limit
            )
        )
        while True:
            info = next_run(doc, timetable, last, now)
            if info is None or info.create_after > now or active >= dag.max_active_runs:
                break
            if _create_run(session, dag, info, now):
                active += 1
                changes.append((dag.dag_id, ChangeKind.RUN))
            last = info.data_interval
        if info is None:
            exhausted.add((dag.dag_id, dag.current_version_id))
        if store_next_run(dag, info):
            changes.append((dag.dag_id, ChangeKind.DAG))
    return changes


def _create_run(session: Session, dag: Dag, info: NextRun, now: datetime) -> bool:
    """Insert the run for ``info`` unless a run (a manual one, say) has that logical date."""
    taken = session.scalar(
        select(DagRun.id).where(
            DagRun.dag_id == dag.dag_id, DagRun.logical_date == info.logical_date
        )
    )
    if taken is not None:
        return False
    session.add(
        DagRun(
            dag_id=dag.dag_id,
            run_id=scheduled_run_id(info.logical_date),
            run_type=RunType.SCHEDULED,
            state=RunState.QUEUED,
            logical_date=info.logical_date,
            data_interval_start=info.data_interval.start,
            data_interval_end=info.data_interval.end,
            conf="{}",
            dag_version_id=dag.current_version_id,
            queued_at=now,
        )
    )
    session.flush()
    return True


def start_queued_runs(
    session: Session, documents: DocumentCache, now: datetime, limit: int = 50
) -> list[tuple[str, str]]:
    """Start queued runs within max_active_runs: create their task instances, mark them running.

    A DAG's limit counts its runs outside backfills; a backfill's runs count
    against the backfill's own ``max_active_runs`` and wait while it is paused.
    Task instances come from the run's own DAG version. A run sent back to
    queued keeps the task instances it already has; only missing ones are added.
    """
    queued = session.scalars(
        select(DagRun)
        .where(DagRun.state == RunState.QUEUED, startable_backfills())
        .order_by(DagRun.queued_at, DagRun.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not queued:
        return []
    running, limits = _run_limits(session, queued)
    changes = []
    for run in queued:
        key = ("backfill", run.backfill_id) if run.backfill_id else ("dag", run.dag_id)
        if running.get(key, 0) >= limits.get(key, 1):
            continue
        running[key] = running.get(key, 0) + 1
        _create_task_instances(session, documents, run)
        run.state = RunState.RUNNING
        run.start_date = now
        run.end_date = None
        changes.append((run.dag_id, ChangeKind.RUN))
    return changes


Limits = dict[tuple[str, object], int]


def _run_limits(session: Session, queued: Sequence[DagRun]) -> tuple[Limits, Limits]:
    """Running runs and their limits, keyed ``("dag", dag_id)`` or ``("backfill", id)``."""
    dag_ids = {run.dag_id for run in queued}
    backfill_ids = {run.backfill_id for run in queued if run.backfill_id}
    running: Limits = {
        ("dag", dag_id): count
        for dag_id, count in session.execute(
            select(DagRun.dag_id, func.count())
            .where(
                DagRun.dag_id.in_(dag_ids),
                DagRun.state == RunState.RUNNING,
                DagRun.backfill_id.is_(None),
            )
            .group_by(DagRun.dag_id)
        )
    }
    limits: Limits = {
        ("dag", dag_id): limit
        for dag_id, limit in session.execute(
            select(Dag.dag_id, Dag.max_active_runs).where(Dag.dag_id.in_(dag_ids))
        )
    }
    if backfill_ids:
        for backfill_id, count in session.execute(
            select(DagRun.backfill_id, func.count())
            .where(DagRun.backfill_id.in_(backfill_ids), DagRun.state == RunState.RUNNING)
            .group_by(DagRun.backfill_id)
        ):
            running[("backfill", backfill_id)] = count
        for backfill_id, limit in session.execute(
            select(Backfill.id, Backfill.max_active_runs).where(Backfill.id.in_(backfill_ids))
        ):
            limits[("backfill", backfill_id)] = limit
    return running, limits


def finished_backfills_exist(session: Session) -> bool:
    """Whether :func:`complete_backfills` has work (a read)."""
    return bool(finished_backfills(session, limit=1))


def complete_backfills(
    session: Session, documents: DocumentCache, now: datetime
) -> list[tuple[str, str]]:
    """Mark backfills whose runs have all finished completed."""
    done = finished_backfills(session)
    for backfill in done:
        backfill.completed_at = now
    return [(b.dag_id, ChangeKind.RUN) for b in done]


def _create_task_instances(session: Session, documents: DocumentCache, run: DagRun) -> None:
    doc = documents.get(session, run.dag_version_id).document
    default_queue = load_settings().default_queue
    existing = set(
        session.scalars(select(TaskInstance.task_id).where(TaskInstance.dag_run_id == run.id))
    )
    rows = [
        {
            "dag_run_id": run.id,
            "dag_id": run.dag_id,
            "task_id": task.task_id,
            "operator": task.operator,
            "try_number": 0,
            "max_tries": task.retries + 1,
            "state": None,
            "queue": task.queue or default_queue,
            "pool": task.pool or DEFAULT_POOL,
            "pool_slots": task.pool_slots,
        }
        for task in doc.tasks.values()
        if task.task_id not in existing
    ]
    if rows:
        session.execute(insert(TaskInstance), rows)

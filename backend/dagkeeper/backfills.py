"""Backfills: which runs a date range needs, creating them, pausing and cancelling.

One function, :func:`plan_backfill`, decides the runs, and both the dry run
and the creation use it, so a preview lists exactly what is created. As in
the peer (Airflow 3), the runs are written queued when the backfill is
created, in the same transaction; the scheduler then starts at most the
backfill's ``max_active_runs`` of them at a time (:func:`startable_backfills`).
The API and the CLI call these functions; nothing here imports a DAG file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from dagkeeper.models import (
    Backfill,
    Dag,
    DagRun,
    ReprocessBehavior,
    RunState,
    RunType,
    TaskInstance,
    clear_try,
)
from dagkeeper.models.queries import document_of
from dagkeeper.next_run import timetable_of

MAX_RUNS = 1000
CREATE, REPROCESS = "create", "reprocess"


class BackfillError(ValueError):
    """A backfill that cannot be made; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str, status: int = 400):
        super().__init__(message)
        self.field, self.status = field, status


@dataclass(frozen=True)
class PlannedRun:
    logical_date: datetime
    data_interval_start: datetime
    data_interval_end: datetime
    action: str  # CREATE or REPROCESS
    existing: DagRun | None


@dataclass(frozen=True)
class BackfillRequest:
    dag_id: str
    from_date: datetime
    to_date: datetime
    reprocess_behavior: str = ReprocessBehavior.NONE
    max_active_runs: int = 10
    run_backwards: bool = False
    dag_run_conf: dict[str, Any] | None = None


def plan_backfill(
    session: Session, dag: Dag, request: BackfillRequest, now: datetime
) -> list[PlannedRun]:
    """The runs a backfill would create or re-run, in the order they start.

    The DAG's timetable gives every run whose logical date is in
    ``[from_date, to_date]`` and whose interval has ended by ``now`` (the DAG's
    own start and end dates do not limit a backfill). A date with a run in
    flight is skipped; a finished one is re-run as ``reprocess_behavior`` says.
    """
    if request.from_date > request.to_date:
        raise BackfillError("to_date", "must not be before from_date")
    if dag.current_version_id is None or not dag.is_active:
        raise BackfillError("dag_id", f"DAG {dag.dag_id!r} is not active", 409)
    document = document_of(session, dag.current_version_id)
    assert document is not None
    if document.schedule["kind"] in ("none", "once"):
        raise BackfillError("dag_id", f"DAG {dag.dag_id!r} has no schedule to backfill")
    timetable = timetable_of(document)
    infos, last = [], None
    while True:
        info = timetable.next_run(
            last, start_date=request.from_date, end_date=request.to_date, catchup=True, now=now
        )
        if info is None or info.create_after > now or (last and info.data_interval == last):
            break
        infos.append(info)
        last = info.data_interval
        if len(infos) > MAX_RUNS:
            raise BackfillError(
                "to_date", f"the range holds more than {MAX_RUNS} runs; backfill it in parts"
            )
    if not infos:
        raise BackfillError("to_date", "the range holds no completed run of the DAG's schedule")
    existing = {
        run.logical_date: run
        for run in session.scalars(
            select(DagRun).where(
                DagRun.dag_id == dag.dag_id,
                DagRun.logical_date.between(infos[0].logical_date, infos[-1].logical_date),
            )
        )
    }
    plan = []
    for info in infos:
        run = existing.get(info.logical_date)
        if run is not None and not _reprocess(run, request.reprocess_behavior):
            continue
        plan.append(
            PlannedRun(info.logical_date, info.data_interval.start, info.data_interval.end,
                       REPROCESS if run else CREATE, run)
        )  # fmt: skip
    return plan[::-1] if request.run_backwards else plan


def _reprocess(run: DagRun, behavior: str) -> bool:
    if run.state not in RunState.FINISHED:
        return False  # in flight: never touched
    if behavior == ReprocessBehavior.FAILED:
        return run.state == RunState.FAILED
    return behavior == ReprocessBehavior.COMPLETED


def active_backfill(session: Session, dag_id: str) -> Backfill | None:
    return session.scalar(
        select(Backfill).where(Backfill.dag_id == dag_id, Backfill.completed_at.is_(None))
    )


def create_backfill(
    session: Session, dag: Dag, request: BackfillRequest, now: datetime, created_by: str | None
) -> tuple[Backfill, list[PlannedRun]]:
    """Write the backfill and its queued runs (re-runs cleared), as :func:`plan_backfill` plans.

    One backfill per DAG at a time, as in the peer. A plan with nothing to do
    still records the backfill, completed at once.
    """
    if active_backfill(session, dag.dag_id) is not None:
        raise BackfillError("dag_id", f"DAG {dag.dag_id!r} already has a backfill running", 409)
    plan = plan_backfill(session, dag, request, now)
    conf = json.dumps(request.dag_run_conf or {})
    backfill = Backfill(
        dag_id=dag.dag_id, from_date=request.from_date, to_date=request.to_date,
        dag_run_conf=conf, reprocess_behavior=request.reprocess_behavior,
        max_active_runs=request.max_active_runs, run_backwards=request.run_backwards,
        is_paused=False, created_by=created_by, created_at=now,
        completed_at=None if plan else now,
    )  # fmt: skip
    session.add(backfill)
    session.flush()
    for ordinal, planned in enumerate(plan):
        # queued_at orders the runs: the scheduler starts queued runs oldest first
        queued_at = now + timedelta(microseconds=ordinal)
        run = planned.existing
        if run is None:
            session.add(
                DagRun(
                    dag_id=dag.dag_id, run_id=f"backfill__{planned.logical_date.isoformat()}",
                    run_type=RunType.BACKFILL, state=RunState.QUEUED,
                    logical_date=planned.logical_date,
                    data_interval_start=planned.data_interval_start,
                    data_interval_end=planned.data_interval_end, conf=conf,
                    dag_version_id=dag.current_version_id, queued_at=queued_at,
                    backfill_id=backfill.id,
                )
            )  # fmt: skip
        else:
            _requeue(session, run, backfill.id, queued_at)
    session.flush()
    return backfill, plan


def _requeue(session: Session, run: DagRun, backfill_id: int, queued_at: datetime) -> None:
    """Clear every task instance of a finished run and queue it again, as the backfill's."""
    document = document_of(session, run.dag_version_id)
    assert document is not None
    for ti in session.scalars(select(TaskInstance).where(TaskInstance.dag_run_id == run.id)):
        task = document.tasks.get(ti.task_id)
        clear_try(session, ti, task.retries if task else 0)
    run.state, run.queued_at = RunState.QUEUED, queued_at
    run.start_date = run.end_date = None
    run.run_type, run.backfill_id = RunType.BACKFILL, backfill_id


def set_paused(backfill: Backfill, paused: bool) -> None:
    if backfill.completed_at is not None:
        raise BackfillError("backfill_id", f"backfill {backfill.id} is already completed", 409)
    backfill.is_paused = paused


def cancel_backfill(session: Session, backfill: Backfill, now: datetime) -> int:
    """As the peer: its queued runs fail, running ones finish, and it is completed now.

    Returns how many queued runs were failed. Cancelling a completed backfill
    changes nothing (the peer answers 409; a repeated PUT should do no harm).
    """
    if backfill.completed_at is not None:
        return 0
    set_paused(backfill, True)
    queued = session.scalars(
        select(DagRun).where(DagRun.backfill_id == backfill.id, DagRun.state == RunState.QUEUED)
    ).all()
    for run in queued:
        run.state, run.end_date = RunState.FAILED, now
    backfill.completed_at = now
    return len(queued)


def finished_backfills(session: Session, limit: int = 100) -> Sequence[Backfill]:
    """Backfills not yet completed whose runs have all finished."""
    unfinished = exists().where(
        DagRun.backfill_id == Backfill.id, DagRun.state.in_((RunState.QUEUED, RunState.RUNNING))
    )
    return session.scalars(
        select(Backfill).where(Backfill.completed_at.is_(None), ~unfinished).limit(limit)
    ).all()


def startable_backfills() -> ColumnElement[bool]:
    """SQL condition on ``DagRun``: not a backfill run, or one whose backfill may start more.

    A backfill may start runs while it is not paused and fewer than its
    ``max_active_runs`` of them are running.
    """
    other = aliased(DagRun)
    running = (
        select(func.count())
        .where(other.backfill_id == Backfill.id, other.state == RunState.RUNNING)
        .scalar_subquery()
    )
    open_backfills = select(Backfill.id).where(
        and_(Backfill.is_paused.is_(False), running < Backfill.max_active_runs)
    )
    return DagRun.backfill_id.is_(None) | DagRun.backfill_id.in_(open_backfills)


def progress(session: Session, backfill_ids: list[int]) -> dict[int, dict[str, int]]:
    """Run counts by state per backfill (the progress the UI shows)."""
    counts: dict[int, dict[str, int]] = {i: {} for i in backfill_ids}
    rows = session.execute(
        select(DagRun.backfill_id, DagRun.state, func.count())
        .where(DagRun.backfill_id.in_(backfill_ids))
        .group_by(DagRun.backfill_id, DagRun.state)
    )
    for backfill_id, state, count in rows:
        if backfill_id is not None:  # always, by the filter; this tells mypy
            counts[backfill_id][state] = count
    return counts

"""Deleting old history in bounded batches: finished runs and everything that hangs off them.

History grows with every run; without a way to drop it the grid, the run list
and the database size grow forever. Each batch is its own short transaction
(a few hundred runs, and at most :data:`MAX_TASK_INSTANCES` task instances: a
batch's length follows its rows, not its runs), so readers and the scheduler
never wait behind one long delete, on SQLite (one writer at a time; a 100 ms
gap between batches lets a waiting writer in) or PostgreSQL (row locks). A run
that is queued or running is never touched: only finished runs whose end (or,
when none was recorded, queue) time is older than the cutoff. Child rows are
deleted explicitly, not by ``ON DELETE CASCADE``, so every table's count can be
reported. Each batch records a RUN change for the DAGs it touched in the same
transaction, so no ETag or response cache can serve a deleted run (invariant 1).
Old asset events go too, with the runs' links to them (``dag_run_asset_event``),
except those a kept run consumed or a DAG has not consumed yet (still queued).
``change_log`` is not cleaned here: :func:`dagkeeper.models.change.record_change`
callers already prune it to the last ``KEEP_CHANGES`` tokens.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Row, Select, and_, delete, exists, func, select
from sqlalchemy.orm import Session

from dagkeeper.models.asset import AssetEvent, AssetEventQueue, DagRunAssetEvent
from dagkeeper.models.change import ChangeKind, record_change
from dagkeeper.models.event_log import EventLog
from dagkeeper.models.log import TaskLog
from dagkeeper.models.run import DagRun, RunState
from dagkeeper.models.task_instance import RenderedTaskFields, TaskInstance, TaskInstanceHistory
from dagkeeper.models.xcom import XCom

# Children of a task instance, deleted before it; order is the delete order.
TI_CHILDREN = (TaskLog, XCom, RenderedTaskFields, TaskInstanceHistory)
TABLES = ("task_log", "xcom", "rendered_task_fields", "task_instance_history",
          "task_instance", "dag_run_asset_event", "dag_run", "asset_event", "event_log")  # fmt: skip
# A batch stops adding runs at this many task instances (a larger run goes alone): 500 runs of
# a 2,000-task DAG would be a million rows in one transaction, holding SQLite's writer lock.
MAX_TASK_INSTANCES = 5000
# SQLite's busy handler lets a waiting writer retry at most every 100 ms. Back-to-back batches
# free the lock for microseconds, so the next batch won every race and a scheduler or web write
# waited for the whole clean (5.4 s measured by bench/clean.py); a gap this long lets it in.
SQLITE_GAP_SECONDS = 0.1


@dataclass(frozen=True)
class CleanScope:
    cutoff: datetime
    dag_ids: Sequence[str] = ()

    def runs(self) -> ColumnElement[bool]:
        """Finished runs that ended before the cutoff (never queued or running ones)."""
        ended = func.coalesce(DagRun.end_date, DagRun.queued_at)
        condition = and_(DagRun.state.in_(RunState.FINISHED), ended < self.cutoff)
        return and_(condition, DagRun.dag_id.in_(self.dag_ids)) if self.dag_ids else condition

    def events(self) -> ColumnElement[bool]:
        condition = EventLog.at < self.cutoff
        return and_(condition, EventLog.dag_id.in_(self.dag_ids)) if self.dag_ids else condition

    def asset_events(self, kept_runs: Select) -> ColumnElement[bool]:
        """Old asset events (of the DAGs, by source) no run in ``kept_runs`` consumed and no
        DAG still has queued."""
        consumed = exists().where(
            DagRunAssetEvent.event_id == AssetEvent.id, DagRunAssetEvent.dag_run_id.in_(kept_runs)
        )
        queued = exists().where(AssetEventQueue.event_id == AssetEvent.id)
        condition = and_(AssetEvent.timestamp < self.cutoff, ~consumed, ~queued)
        if self.dag_ids:
            return and_(condition, AssetEvent.source_dag_id.in_(self.dag_ids))
        return condition


def _tis_of(run_ids: Select) -> Select:
    return select(TaskInstance.id).where(TaskInstance.dag_run_id.in_(run_ids))


def count(session: Session, scope: CleanScope) -> dict[str, int]:
    """Rows per table that :func:`clean` would delete now (for ``--dry-run``)."""
    run_ids = select(DagRun.id).where(scope.runs())
    tis = _tis_of(run_ids)
    counts = {
        model.__tablename__: session.scalar(
            select(func.count()).select_from(model).where(model.task_instance_id.in_(tis))
        )
        for model in TI_CHILDREN
    }
    counts["task_instance"] = session.scalar(select(func.count()).select_from(tis.subquery()))
    counts["dag_run_asset_event"] = session.scalar(
        select(func.count()).where(DagRunAssetEvent.dag_run_id.in_(run_ids))
    )
    counts["dag_run"] = session.scalar(select(func.count()).select_from(run_ids.subquery()))
    kept_runs = select(DagRun.id).where(DagRun.id.not_in(run_ids))
    counts["asset_event"] = session.scalar(
        select(func.count()).where(scope.asset_events(kept_runs))
    )
    counts["event_log"] = session.scalar(select(func.count()).where(scope.events()))
    return {table: int(counts[table] or 0) for table in TABLES}


def _within(session: Session, rows: Sequence[Row], max_tis: int) -> Sequence[Row]:
    """The first of ``rows`` (runs) whose task instances add up to ``max_tis``, at least one."""
    sizes = dict(
        session.execute(
            select(TaskInstance.dag_run_id, func.count())
            .where(TaskInstance.dag_run_id.in_([row.id for row in rows]))
            .group_by(TaskInstance.dag_run_id)
        ).all()
    )
    total = 0
    for taken, row in enumerate(rows):
        total += sizes.get(row.id, 0)
        if taken and total > max_tis:
            return rows[:taken]
    return rows


def _delete_batch(
    session: Session, scope: CleanScope, batch_size: int, max_tis: int
) -> Counter[str]:
    rows = session.execute(
        select(DagRun.id, DagRun.dag_id).where(scope.runs()).order_by(DagRun.id).limit(batch_size)
    ).all()
    rows = _within(session, rows, max_tis) if rows else rows
    deleted: Counter[str] = Counter()
    if rows:
        run_ids = [row.id for row in rows]
        tis = _tis_of(select(DagRun.id).where(DagRun.id.in_(run_ids)))
        for model in TI_CHILDREN:
            result = session.execute(delete(model).where(model.task_instance_id.in_(tis)))
            deleted[model.__tablename__] = result.rowcount
        result = session.execute(delete(TaskInstance).where(TaskInstance.dag_run_id.in_(run_ids)))
        deleted["task_instance"] = result.rowcount
        result = session.execute(
            delete(DagRunAssetEvent).where(DagRunAssetEvent.dag_run_id.in_(run_ids))
        )
        deleted["dag_run_asset_event"] = result.rowcount
        deleted["dag_run"] = session.execute(delete(DagRun).where(DagRun.id.in_(run_ids))).rowcount
        record_change(session, [(dag_id, ChangeKind.RUN) for dag_id in {r.dag_id for r in rows}])
    # Runs still to go keep their events until a later batch has deleted them.
    asset_events = (
        select(AssetEvent.id)
        .where(scope.asset_events(select(DagRun.id)))
        .order_by(AssetEvent.id)
        .limit(batch_size)
    )
    deleted["asset_event"] = session.execute(
        delete(AssetEvent).where(AssetEvent.id.in_(asset_events.scalar_subquery()))
    ).rowcount
    if deleted["asset_event"]:
        record_change(session, [(None, ChangeKind.ASSET)])  # the assets views refresh
    events = select(EventLog.id).where(scope.events()).order_by(EventLog.id).limit(batch_size)
    deleted["event_log"] = session.execute(
        delete(EventLog).where(EventLog.id.in_(events.scalar_subquery()))
    ).rowcount
    return deleted


def clean(
    transaction: Callable,
    scope: CleanScope,
    batch_size: int = 500,
    progress: Callable[[Counter[str]], None] = lambda _batch: None,
    max_task_instances: int = MAX_TASK_INSTANCES,
) -> dict[str, int]:
    """Delete everything in ``scope``, ``batch_size`` runs per transaction; rows per table.

    A transaction also stops at ``max_task_instances`` task instances (one run at least).

    ``transaction`` is :func:`dagkeeper.db.transaction` (passed in: models import no db).
    """
    total: Counter[str] = Counter()
    while True:
        with transaction() as session:
            batch = _delete_batch(session, scope, batch_size, max_task_instances)
            sqlite = session.get_bind().dialect.name == "sqlite"
        total.update(batch)
        progress(batch)
        if not any(batch.values()):
            return {table: total[table] for table in TABLES}
        if sqlite:
            time.sleep(SQLITE_GAP_SECONDS)

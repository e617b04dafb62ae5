"""Asset-triggered runs: a DAG whose asset condition holds gets one run for its queued events.

Events wait in ``asset_event_queue`` per consuming DAG. When the set of
assets with queued events satisfies the DAG's stored ``asset_condition``
(an alias counts through the assets it resolved to), one run is created and
consumes exactly the queued events read: they are linked to the run and
removed from the queue in the same transaction. Events that arrive meanwhile
stay queued for the next run. As in the peer, every event queued when the
run is created is consumed by it: two producers updating the same asset
before the scheduler's pass make one run with both events.

The ``dag`` rows are locked ``FOR UPDATE SKIP LOCKED`` (as for scheduled
runs), so two schedulers on PostgreSQL never consume the same DAG's queue.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from dagkeeper.models import (
    Asset,
    AssetAlias,
    AssetAliasAsset,
    AssetEvent,
    AssetEventQueue,
    ChangeKind,
    Dag,
    DagRun,
    DagRunAssetEvent,
    RunState,
    RunType,
)
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.scheduler.runs import ACTIVE_RUN_STATES
from dagkeeper.serialization import DagDocument
from dagkeeper.serialization.assets import satisfied


def asset_run_id(now: datetime) -> str:
    return f"asset_triggered__{now.isoformat()}"


def _waiting_dags(session: Session, lock: bool, limit: int = 50) -> list[Dag]:
    query = (
        select(Dag)
        .where(
            Dag.dag_id.in_(select(AssetEventQueue.dag_id)),
            Dag.is_active.is_(True),
            Dag.is_paused.is_(False),
            Dag.current_version_id.is_not(None),
        )
        .order_by(Dag.dag_id)
        .limit(limit)
    )
    return list(session.scalars(query.with_for_update(skip_locked=True) if lock else query))


def _queued(session: Session, dag_id: str) -> list[tuple[int, str, datetime]]:
    """(event id, asset URI, event time) of the DAG's queued events, oldest first."""
    return [
        (event_id, uri, timestamp)
        for event_id, uri, timestamp in session.execute(
            select(AssetEvent.id, Asset.uri, AssetEvent.timestamp)
            .join(AssetEventQueue, AssetEventQueue.event_id == AssetEvent.id)
            .join(Asset, Asset.id == AssetEvent.asset_id)
            .where(AssetEventQueue.dag_id == dag_id)
            .order_by(AssetEvent.timestamp, AssetEvent.id)
        )
    ]


def _alias_assets(session: Session) -> dict[str, set[str]]:
    resolved: dict[str, set[str]] = defaultdict(set)
    for name, uri in session.execute(
        select(AssetAlias.name, Asset.uri)
        .join(AssetAliasAsset, AssetAliasAsset.alias_id == AssetAlias.id)
        .join(Asset, Asset.id == AssetAliasAsset.asset_id)
    ):
        resolved[name].add(uri)
    return resolved


def _ready(doc: DagDocument, queued: list[tuple[int, str, datetime]], aliases) -> bool:
    if doc.asset_condition is None:
        return False
    return satisfied(doc.asset_condition, {uri for _, uri, _ in queued}, aliases)


def asset_runs_due(session: Session, documents: DocumentCache) -> bool:
    """Whether :func:`create_asset_triggered_runs` has work (a read: no lock is taken)."""
    dags = _waiting_dags(session, lock=False)
    aliases = _alias_assets(session) if dags else {}
    for dag in dags:
        doc = documents.get(session, dag.current_version_id).document
        if doc.asset_condition is None:
            return True  # its queue is dropped
        if _ready(doc, _queued(session, dag.dag_id), aliases) and not _at_limit(session, dag):
            return True
    return False


def create_asset_triggered_runs(
    session: Session, documents: DocumentCache, now: datetime
) -> list[tuple[str, str]]:
    """Create one run per DAG whose condition holds (within max_active_runs)."""
    changes: list[tuple[str, str]] = []
    dags = _waiting_dags(session, lock=True)
    if not dags:
        return changes
    aliases = _alias_assets(session)
    for dag in dags:
        doc = documents.get(session, dag.current_version_id).document
        queued = _queued(session, dag.dag_id)
        if doc.asset_condition is None:  # no longer scheduled on assets: nothing will consume
            _dequeue(session, dag.dag_id, [event_id for event_id, _, _ in queued])
            continue
        if not _ready(doc, queued, aliases) or _at_limit(session, dag):
            continue
        run = DagRun(
            dag_id=dag.dag_id,
            run_id=asset_run_id(now),
            run_type=RunType.ASSET_TRIGGERED,
            state=RunState.QUEUED,
            logical_date=now,
            data_interval_start=queued[0][2],
            data_interval_end=queued[-1][2],
            conf="{}",
            dag_version_id=dag.current_version_id,
            queued_at=now,
        )
        session.add(run)
        session.flush()
        event_ids = [event_id for event_id, _, _ in queued]
        session.execute(
            insert(DagRunAssetEvent), [{"dag_run_id": run.id, "event_id": e} for e in event_ids]
        )
        _dequeue(session, dag.dag_id, event_ids)
        changes.append((dag.dag_id, ChangeKind.RUN))
    return changes


def _at_limit(session: Session, dag: Dag) -> bool:
    active = session.scalar(
        select(func.count())
        .select_from(DagRun)
        .where(DagRun.dag_id == dag.dag_id, DagRun.state.in_(ACTIVE_RUN_STATES))
    )
    return (active or 0) >= dag.max_active_runs


def _dequeue(session: Session, dag_id: str, event_ids: list[int]) -> None:
    if event_ids:
        session.execute(
            delete(AssetEventQueue).where(
                AssetEventQueue.dag_id == dag_id, AssetEventQueue.event_id.in_(event_ids)
            )
        )

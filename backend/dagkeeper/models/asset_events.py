"""The two writers of asset rows: publication registers them, events update them.

:func:`publish_dag_assets` is called by the processor, in the publication's
transaction, for each new DAG version. :func:`record_asset_event` is the one
way an event is written -- by the runner in the transaction that records a
producing task's success, and by the web API -- and queues the event for
every active, unpaused DAG that consumes its asset (directly or through an
alias), as the peer does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from dagkeeper.models.asset import (
    Asset,
    AssetAlias,
    AssetAliasAsset,
    AssetEvent,
    AssetEventQueue,
    AssetRole,
    DagAliasReference,
    DagAssetReference,
)
from dagkeeper.models.base import utcnow
from dagkeeper.models.dag import Dag
from dagkeeper.serialization import DagDocument
from dagkeeper.serialization.assets import extra_problem, references, uri_problem


class AssetEventError(ValueError):
    """An event that cannot be stored (a bad URI or extra); the message says why."""


def asset_row(session: Session, ref: Mapping[str, Any], *, update: bool = True) -> Asset:
    """The ``asset`` row of a reference, created when new (``update``: take its name/extra)."""
    row = session.scalar(select(Asset).where(Asset.uri == ref["uri"]))
    if row is None:
        row = Asset(uri=ref["uri"], name=ref.get("name") or ref["uri"])
        row.group = ref.get("group") or "asset"
        row.extra = json.dumps(ref.get("extra") or {}, sort_keys=True)
        session.add(row)
        session.flush()
    elif update:
        name, group = ref.get("name") or ref["uri"], ref.get("group") or "asset"
        extra = json.dumps(ref.get("extra") or {}, sort_keys=True)
        # A bare Asset(uri) (a consumer's schedule, say) never overwrites a fuller declaration.
        bare = (name, group, extra) == (ref["uri"], "asset", "{}")
        if not bare and (row.name, row.group, row.extra) != (name, group, extra):
            row.name, row.group, row.extra = name, group, extra
    return row


def alias_row(session: Session, name: str) -> AssetAlias:
    row = session.scalar(select(AssetAlias).where(AssetAlias.name == name))
    if row is None:
        row = AssetAlias(name=name)
        session.add(row)
        session.flush()
    return row


def publish_dag_assets(
    session: Session, dag_id: str, doc: DagDocument, *, created: bool = False
) -> None:
    """Register the assets a document names and replace the DAG's references to them.

    ``created``: the DAG's row was created in this transaction, so it has no
    references to replace (they are deleted with the row).
    """
    wanted: list[tuple[str, Mapping[str, Any], str]] = [
        (AssetRole.CONSUMER, ref, "") for ref in references(doc.asset_condition)
    ]
    for task in doc.tasks.values():
        wanted.extend((AssetRole.PRODUCER, ref, task.task_id) for ref in task.outlets)
    if not created:
        session.execute(delete(DagAssetReference).where(DagAssetReference.dag_id == dag_id))
        session.execute(delete(DagAliasReference).where(DagAliasReference.dag_id == dag_id))
    assets, aliases = set(), set()
    for role, ref, task_id in wanted:
        if ref["type"] == "asset":
            assets.add((asset_row(session, ref).id, role, task_id))
        else:
            aliases.add((alias_row(session, ref["name"]).id, role, task_id))
    for task in doc.tasks.values():
        for ref in task.inlets:
            if ref["type"] == "asset":
                asset_row(session, ref)
    if assets or aliases:
        session.flush()  # the inserts below bypass the unit of work: the DAG's row goes first
    if assets:
        session.execute(
            insert(DagAssetReference),
            [{"dag_id": dag_id, "asset_id": a, "role": r, "task_id": t} for a, r, t in assets],
        )
    if aliases:
        session.execute(
            insert(DagAliasReference),
            [{"dag_id": dag_id, "alias_id": a, "role": r, "task_id": t} for a, r, t in aliases],
        )


def _consumers(session: Session, asset_id: int, alias_id: int | None) -> list[str]:
    """Active, unpaused DAGs scheduled on the asset, on its alias, or on an alias resolving to it."""
    alias_ids = select(AssetAliasAsset.alias_id).where(AssetAliasAsset.asset_id == asset_id)
    by_alias = DagAliasReference.alias_id.in_(alias_ids)
    if alias_id is not None:
        by_alias = or_(by_alias, DagAliasReference.alias_id == alias_id)
    direct = select(DagAssetReference.dag_id).where(
        DagAssetReference.asset_id == asset_id, DagAssetReference.role == AssetRole.CONSUMER
    )
    through_alias = select(DagAliasReference.dag_id).where(
        by_alias, DagAliasReference.role == AssetRole.CONSUMER
    )
    return list(
        session.scalars(
            select(Dag.dag_id)
            .where(
                Dag.dag_id.in_(direct.union(through_alias)),
                Dag.is_active.is_(True),
                Dag.is_paused.is_(False),
            )
            .order_by(Dag.dag_id)
        )
    )


def record_asset_event(
    session: Session,
    ref: Mapping[str, Any],
    extra: Any,
    *,
    source: Mapping[str, Any] | None = None,
    alias: str | None = None,
    created_by: str | None = None,
    now: datetime | None = None,
) -> AssetEvent:
    """Store one event of the asset ``ref`` (created if new) and queue it for its consumers.

    ``source`` holds ``dag_id``, ``run_id``, ``task_id`` and ``map_index`` of
    the producing try; ``alias`` the alias it was emitted through.
    """
    problem = uri_problem(ref.get("uri"))
    if problem:
        raise AssetEventError(f"asset URI {ref.get('uri')!r} {problem}")
    problem = extra_problem(extra)
    if problem:
        raise AssetEventError(f"extra of the event for {ref['uri']!r} {problem}")
    row = asset_row(session, ref, update=False)
    alias_id = None
    if alias is not None:
        alias_id = alias_row(session, alias).id
        if session.get(AssetAliasAsset, (alias_id, row.id)) is None:
            session.add(AssetAliasAsset(alias_id=alias_id, asset_id=row.id))
    source = source or {}
    event = AssetEvent(
        asset_id=row.id,
        extra=json.dumps(extra, sort_keys=True),
        source_dag_id=source.get("dag_id"),
        source_run_id=source.get("run_id"),
        source_task_id=source.get("task_id"),
        source_map_index=source.get("map_index", -1),
        source_alias=alias,
        created_by=created_by,
        timestamp=now or utcnow(),
    )
    session.add(event)
    session.flush()
    queue = [{"dag_id": d, "event_id": event.id} for d in _consumers(session, row.id, alias_id)]
    if queue:
        session.execute(insert(AssetEventQueue), queue)
    return event


def record_task_events(
    session: Session, emitted: Iterable[Mapping[str, Any]], source: Mapping[str, Any], now: datetime
) -> list[str]:
    """The events of a successful try (what its ``outlet_events`` produced: one per outlet
    asset and one per asset added through an alias); returns the consuming DAG ids queued."""
    queued: set[str] = set()
    for item in emitted:
        event = record_asset_event(
            session, item, item.get("extra") or {}, source=source, alias=item.get("alias"),
            now=now,
        )  # fmt: skip
        queued.update(
            session.scalars(
                select(AssetEventQueue.dag_id).where(AssetEventQueue.event_id == event.id)
            )
        )
    return sorted(queued)

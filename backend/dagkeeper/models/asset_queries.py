"""Named reads of assets for the web API: pages of assets and events, references, lineage.

Every read takes the caller's principals (None: every DAG), so a DAG the
caller may not read never appears as a producer, a consumer, an event's
source or a lineage node.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from dagkeeper.models.access import readable
from dagkeeper.models.asset import (
    Asset,
    AssetAlias,
    AssetAliasAsset,
    AssetEvent,
    AssetRole,
    DagAliasReference,
    DagAssetReference,
    DagRunAssetEvent,
)
from dagkeeper.models.dag import Dag

Principals = Sequence[str] | None


def _visible(column, principals: Principals) -> list[Any]:
    condition = readable(column, principals)
    return [] if condition is None else [condition]


def event_select(principals: Principals) -> Select[Any]:
    """Events with their asset's URI, labelled as the API's event fields."""
    return (
        select(
            AssetEvent.id,
            AssetEvent.asset_id,
            Asset.uri,
            AssetEvent.extra,
            AssetEvent.source_dag_id,
            AssetEvent.source_run_id,
            AssetEvent.source_task_id,
            AssetEvent.source_map_index,
            AssetEvent.source_alias,
            AssetEvent.created_by,
            AssetEvent.timestamp,
        )
        .join(Asset, Asset.id == AssetEvent.asset_id)
        .where(*_visible(AssetEvent.source_dag_id, principals))
    )


def event_page(
    session: Session, conditions: list[Any], order: Any, limit: int, offset: int,
    principals: Principals,
) -> tuple[int, list[Any]]:  # fmt: skip
    query = event_select(principals).where(*conditions)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(order, AssetEvent.id.desc()).limit(limit).offset(offset))
    return total, list(rows)


def run_events(session: Session, dag_run_id: int, principals: Principals) -> list[Any]:
    """The events that caused an asset-triggered run, oldest first."""
    query = event_select(principals).join(
        DagRunAssetEvent, DagRunAssetEvent.event_id == AssetEvent.id
    )
    return list(
        session.execute(
            query.where(DagRunAssetEvent.dag_run_id == dag_run_id).order_by(
                AssetEvent.timestamp, AssetEvent.id
            )
        )
    )


def latest_events(session: Session, asset_ids: list[int], principals: Principals) -> dict:
    """asset id -> its newest visible event row."""
    if not asset_ids:
        return {}
    newest = (
        select(func.max(AssetEvent.id))
        .where(AssetEvent.asset_id.in_(asset_ids), *_visible(AssetEvent.source_dag_id, principals))
        .group_by(AssetEvent.asset_id)
    )
    rows = session.execute(event_select(principals).where(AssetEvent.id.in_(newest)))
    return {row.asset_id: row for row in rows}


def references(
    session: Session, asset_ids: list[int], principals: Principals
) -> dict[int, dict[str, list[Any]]]:
    """asset id -> {"consumer": [dag ids], "producer": [(dag id, task id)]} of active DAGs."""
    found: dict[int, dict[str, list[Any]]] = {
        i: {role: [] for role in AssetRole.ALL} for i in asset_ids
    }
    if not asset_ids:
        return found
    rows = session.execute(
        select(
            DagAssetReference.asset_id,
            DagAssetReference.role,
            Dag.dag_id,
            DagAssetReference.task_id,
        )  # fmt: skip
        .join(Dag, Dag.dag_id == DagAssetReference.dag_id)
        .where(
            DagAssetReference.asset_id.in_(asset_ids),
            Dag.is_active.is_(True),
            *_visible(Dag.dag_id, principals),
        )
        .order_by(Dag.dag_id, DagAssetReference.task_id)
    )
    for asset_id, role, dag_id, task_id in rows:
        found[asset_id][role].append(dag_id if role == AssetRole.CONSUMER else (dag_id, task_id))
    return found


def lineage_edges(session: Session, principals: Principals) -> list[tuple[str, str, int]]:
    """(role, dag id, asset id) of every active, visible DAG's asset references."""
    return _lineage(session, DagAssetReference, DagAssetReference.asset_id, principals)


def lineage_alias_edges(session: Session, principals: Principals) -> list[tuple[str, str, int]]:
    """(role, dag id, alias id) of every active, visible DAG's alias references."""
    return _lineage(session, DagAliasReference, DagAliasReference.alias_id, principals)


def _lineage(session: Session, table: Any, target: Any, principals: Principals) -> list[Any]:
    return [
        tuple(row)
        for row in session.execute(
            select(table.role, Dag.dag_id, target)
            .distinct()
            .join(Dag, Dag.dag_id == table.dag_id)
            .where(Dag.is_active.is_(True), *_visible(Dag.dag_id, principals))
            .order_by(Dag.dag_id, target)
        )
    ]


def alias_names(session: Session, alias_ids: list[int]) -> dict[int, str]:
    return dict(
        session.execute(
            select(AssetAlias.id, AssetAlias.name).where(AssetAlias.id.in_(alias_ids))
        ).all()
    )


def alias_resolutions(session: Session, alias_ids: list[int]) -> list[tuple[int, int]]:
    """(alias id, asset id): the assets events were emitted for through each alias."""
    return [
        tuple(row)
        for row in session.execute(
            select(AssetAliasAsset.alias_id, AssetAliasAsset.asset_id).where(
                AssetAliasAsset.alias_id.in_(alias_ids)
            )
        )
    ]

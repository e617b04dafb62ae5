"""Asset events a task reads from its context, under the peer's names.

``triggering_asset_events``: the events that caused the running DAG run,
from ``dag_run_asset_event``. ``inlet_events``: every event of each of the
task's inlets (an asset's own, or those emitted through an alias), oldest
first. Both are read when the task first looks, so tasks that never use
them cost no query; keys are asset URIs (an ``Asset`` works as a key too)
and alias names (or an ``AssetAlias``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from dagkeeper import db
from dagkeeper.models import Asset, AssetEvent, DagRunAssetEvent


def _view(uri: str, event: AssetEvent) -> SimpleNamespace:
    """What a task sees of one event (the peer's attribute names)."""
    return SimpleNamespace(
        uri=uri,
        extra=json.loads(event.extra),
        source_dag_id=event.source_dag_id,
        source_run_id=event.source_run_id,
        source_task_id=event.source_task_id,
        source_map_index=event.source_map_index,
        source_alias=event.source_alias,
        timestamp=event.timestamp,
    )


class TriggeringAssetEvents(Mapping[str, list[SimpleNamespace]]):
    def __init__(self, dag_run_id: int):
        self._dag_run_id = dag_run_id
        self._events: dict[str, list[SimpleNamespace]] | None = None

    def _load(self) -> dict[str, list[SimpleNamespace]]:
        if self._events is None:
            with db.read_session() as session:
                rows = session.execute(
                    select(Asset.uri, AssetEvent)
                    .join(AssetEvent, AssetEvent.asset_id == Asset.id)
                    .join(DagRunAssetEvent, DagRunAssetEvent.event_id == AssetEvent.id)
                    .where(DagRunAssetEvent.dag_run_id == self._dag_run_id)
                    .order_by(AssetEvent.timestamp, AssetEvent.id)
                ).all()
            self._events = {}
            for uri, event in rows:
                self._events.setdefault(uri, []).append(_view(uri, event))
        return self._events

    def __getitem__(self, key: Any) -> list[SimpleNamespace]:
        return self._load()[getattr(key, "uri", key)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def _inlet_key(ref: Any) -> tuple[str, str]:
    """An ``Asset`` by its URI, an ``AssetAlias`` by its name."""
    if hasattr(ref, "uri"):
        return ("uri", ref.uri)
    return ("alias", getattr(ref, "name", str(ref)))


class InletEvents(Mapping[str, list[SimpleNamespace]]):
    """``inlet_events[asset]``: the asset's events, oldest first; only the task's inlets."""

    def __init__(self, task_id: str, inlets: list[Any]):
        self._task_id = task_id
        self._inlets = list(dict.fromkeys(_inlet_key(ref) for ref in inlets))
        self._events: dict[tuple[str, str], list[SimpleNamespace]] = {}

    def _find(self, key: Any) -> tuple[str, str]:
        wanted = [("uri", key), ("alias", key)] if isinstance(key, str) else [_inlet_key(key)]
        for inlet in wanted:
            if inlet in self._inlets:
                return inlet
        raise KeyError(f"{wanted[0][1]} is not an inlet of task {self._task_id}")

    def __getitem__(self, key: Any) -> list[SimpleNamespace]:
        inlet = self._find(key)
        if inlet not in self._events:
            kind, value = inlet
            where = Asset.uri == value if kind == "uri" else AssetEvent.source_alias == value
            with db.read_session() as session:
                rows = session.execute(
                    select(Asset.uri, AssetEvent)
                    .join(AssetEvent, AssetEvent.asset_id == Asset.id)
                    .where(where)
                    .order_by(AssetEvent.timestamp, AssetEvent.id)
                ).all()
            self._events[inlet] = [_view(uri, event) for uri, event in rows]
        return self._events[inlet]

    def __iter__(self) -> Iterator[str]:
        return iter(value for _, value in self._inlets)

    def __len__(self) -> int:
        return len(self._inlets)

"""``triggering_asset_events``: the asset events that caused the running DAG run (the peer's name).

Read from ``dag_run_asset_event`` when the task first looks, so tasks that
never use it cost no query; keyed by asset URI (an ``Asset`` works as a key too).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from dagkeeper import db
from dagkeeper.models import Asset, AssetEvent, DagRunAssetEvent


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
                self._events.setdefault(uri, []).append(
                    SimpleNamespace(
                        uri=uri,
                        extra=json.loads(event.extra),
                        source_dag_id=event.source_dag_id,
                        source_run_id=event.source_run_id,
                        source_task_id=event.source_task_id,
                        source_map_index=event.source_map_index,
                        timestamp=event.timestamp,
                    )
                )
        return self._events

    def __getitem__(self, key: Any) -> list[SimpleNamespace]:
        return self._load()[getattr(key, "uri", key)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

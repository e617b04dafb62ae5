"""Assets, their events, who produces and consumes them, and the queue of unconsumed events.

``asset`` and ``asset_alias`` rows are registered when a DAG's document is
published; ``dag_asset_reference`` / ``dag_alias_reference`` say which DAGs
consume (schedule on) or produce (outlets) them. An ``asset_event`` is
recorded when a producing task succeeds or through the API, and queued in
``asset_event_queue`` for every consuming DAG; the scheduler turns a DAG's
queued events into one asset-triggered run, linked in ``dag_run_asset_event``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dagkeeper.models.base import Base, utcnow


class AssetRole:
    CONSUMER = "consumer"  # the DAG's schedule names it
    PRODUCER = "producer"  # one of the DAG's tasks has it as an outlet
    ALL = (CONSUMER, PRODUCER)


class Asset(Base):
    __tablename__ = "asset"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(1500), unique=True)
    name: Mapped[str] = mapped_column(String(1500))
    group: Mapped[str] = mapped_column(String(1500), default="asset")
    extra: Mapped[str] = mapped_column(Text, default="{}")  # JSON object, checked when written
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AssetAlias(Base):
    __tablename__ = "asset_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(1500), unique=True)


class AssetAliasAsset(Base):
    """An alias resolves to every asset an event was emitted for through it."""

    __tablename__ = "asset_alias_asset"

    alias_id: Mapped[int] = mapped_column(
        ForeignKey("asset_alias.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DagAssetReference(Base):
    __tablename__ = "dag_asset_reference"

    dag_id: Mapped[str] = mapped_column(
        ForeignKey("dag.dag_id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(250), primary_key=True)  # "" for a consumer


class DagAliasReference(Base):
    __tablename__ = "dag_alias_reference"

    dag_id: Mapped[str] = mapped_column(
        ForeignKey("dag.dag_id", ondelete="CASCADE"), primary_key=True
    )
    alias_id: Mapped[int] = mapped_column(
        ForeignKey("asset_alias.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(250), primary_key=True)


class AssetEvent(Base):
    __tablename__ = "asset_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"))
    extra: Mapped[str] = mapped_column(Text, default="{}")  # JSON object, checked when written
    source_dag_id: Mapped[str | None] = mapped_column(String(250))
    source_run_id: Mapped[str | None] = mapped_column(String(250))
    source_task_id: Mapped[str | None] = mapped_column(String(250))
    source_map_index: Mapped[int] = mapped_column(Integer, default=-1)
    source_alias: Mapped[str | None] = mapped_column(String(1500))
    created_by: Mapped[str | None] = mapped_column(String(250))  # the API caller, if any
    timestamp: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_asset_event_asset_id_timestamp", "asset_id", "timestamp"),)


class AssetEventQueue(Base):
    """An event not yet consumed by a run of a DAG that schedules on its asset."""

    __tablename__ = "asset_event_queue"

    dag_id: Mapped[str] = mapped_column(
        ForeignKey("dag.dag_id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("asset_event.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DagRunAssetEvent(Base):
    """The events that caused an asset-triggered run."""

    __tablename__ = "dag_run_asset_event"

    dag_run_id: Mapped[int] = mapped_column(
        ForeignKey("dag_run.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("asset_event.id", ondelete="CASCADE"), primary_key=True, index=True
    )

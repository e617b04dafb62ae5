"""DAG runs: one row per run, pinned to the DAG version it was created with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dagkeeper.models.base import Base, utcnow


class RunState:
    QUEUED = "queued"
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    ALL = (QUEUED, RUNNING, SUCCESS, FAILED)
    FINISHED = (SUCCESS, FAILED)


class RunType:
    SCHEDULED = "scheduled"
    MANUAL = "manual"
    ASSET_TRIGGERED = "asset_triggered"
    BACKFILL = "backfill"
    ALL = (SCHEDULED, MANUAL, ASSET_TRIGGERED, BACKFILL)


class DagRun(Base):
    __tablename__ = "dag_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    dag_id: Mapped[str] = mapped_column(ForeignKey("dag.dag_id", ondelete="CASCADE"))
    run_id: Mapped[str] = mapped_column(String(250))
    run_type: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=RunState.QUEUED)
    logical_date: Mapped[datetime]
    data_interval_start: Mapped[datetime | None]
    data_interval_end: Mapped[datetime | None]
    conf: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    dag_version_id: Mapped[int] = mapped_column(ForeignKey("dag_version.id"))
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    start_date: Mapped[datetime | None]
    end_date: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    backfill_id: Mapped[int | None] = mapped_column(
        ForeignKey("backfill.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def reopen(self) -> None:
        """Hand a finished run back to the scheduler, which recomputes its state.

        Clearing or marking a task instance of a finished run can change how the
        run ended; the scheduler decides that from the leaves on its next pass.
        """
        if self.state in RunState.FINISHED:
            self.state = RunState.RUNNING
            self.end_date = None

    __table_args__ = (
        UniqueConstraint("dag_id", "run_id"),
        UniqueConstraint("dag_id", "logical_date"),
        Index("ix_dag_run_state", "state", "dag_id"),
    )

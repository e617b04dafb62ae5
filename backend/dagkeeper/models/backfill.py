"""The ``backfill`` table: a request to run a DAG over a past date range.

Its runs are ordinary ``dag_run`` rows of type ``backfill`` pointing back at it
(``dag_run.backfill_id``); the scheduler starts at most ``max_active_runs`` of
them at a time and none while the backfill is paused. ``completed_at`` is set
when the last of its runs finishes or when it is cancelled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dagkeeper.models.base import Base, utcnow


class ReprocessBehavior:
    """What a backfill does with a date that already has a run (the peer's names)."""

    NONE = "none"  # keep it as it is
    FAILED = "failed"  # clear and re-run it if it failed
    COMPLETED = "completed"  # clear and re-run it if it finished, however
    ALL = (NONE, FAILED, COMPLETED)


class Backfill(Base):
    __tablename__ = "backfill"

    id: Mapped[int] = mapped_column(primary_key=True)
    dag_id: Mapped[str] = mapped_column(ForeignKey("dag.dag_id", ondelete="CASCADE"))
    from_date: Mapped[datetime]
    to_date: Mapped[datetime]
    dag_run_conf: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    reprocess_behavior: Mapped[str] = mapped_column(String(20))
    max_active_runs: Mapped[int] = mapped_column(Integer)
    run_backwards: Mapped[bool] = mapped_column(Boolean, default=False)
    is_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str | None] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_backfill_dag_id", "dag_id", "completed_at"),)

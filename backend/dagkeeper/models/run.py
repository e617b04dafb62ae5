"""DAG runs: one row per run, pinned to the DAG version it was created with.

:func:`queue_manual_run` is the one way a manual run is created (the API's
trigger, ``TriggerDagRunOperator`` through the SDK, the benchmarks), so every
manual run gets the same version, data interval and run id.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.models.base import Base, utcnow
from dagkeeper.models.change import ChangeKind, record_change
from dagkeeper.timetables import timetable_for

if TYPE_CHECKING:
    from dagkeeper.models.dag import Dag
    from dagkeeper.serialization import DagDocument


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


class RunExists(Exception):
    """The DAG already has a run with this run_id or logical date (``run``)."""

    def __init__(self, run: DagRun):
        super().__init__(f"run {run.run_id!r} already has this run_id or logical_date")
        self.run = run


def queue_manual_run(
    session: Session, dag: Dag, version_id: int, document: DagDocument, conf: dict[str, Any],
    *, logical_date: datetime | None = None, run_id: str | None = None, note: str | None = None,
) -> DagRun:  # fmt: skip
    """Add a queued manual run of version ``version_id`` (``document``) and record the change.

    ``logical_date`` defaults to now (naive is UTC), ``run_id`` to
    ``manual__<logical date>``; the data interval is the DAG's manual one.
    Raises :class:`RunExists` when the run_id or logical date is taken. The
    caller checks ``conf`` against the params (each answers in its own words).
    """
    moment = logical_date or utcnow()
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    run_id = run_id or f"manual__{moment.isoformat()}"
    existing = session.scalar(
        select(DagRun).where(
            DagRun.dag_id == dag.dag_id,
            (DagRun.run_id == run_id) | (DagRun.logical_date == moment),
        )
    )
    if existing is not None:
        raise RunExists(existing)
    timetable = timetable_for(document.schedule, dag.timezone, dag.start_date)
    interval = timetable.manual_interval(moment)
    run = DagRun(
        dag_id=dag.dag_id, run_id=run_id, run_type=RunType.MANUAL, state=RunState.QUEUED,
        logical_date=moment, data_interval_start=interval.start,
        data_interval_end=interval.end, conf=json.dumps(conf), dag_version_id=version_id,
        queued_at=utcnow(), note=note,
    )  # fmt: skip
    session.add(run)
    session.flush()
    record_change(session, [(dag.dag_id, ChangeKind.RUN)])
    return run

"""Task instances, their earlier tries, and the rendered template fields per try."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.models.base import Base, utcnow


class TaskState:
    NONE = None  # created, not yet considered
    SCHEDULED = "scheduled"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    SKIPPED = "skipped"
    UPSTREAM_FAILED = "upstream_failed"
    UP_FOR_RETRY = "up_for_retry"
    UP_FOR_RESCHEDULE = "up_for_reschedule"  # a sensor between pokes, its slot freed
    DEFERRED = "deferred"  # waiting on a trigger the triggerer holds, no slot at all
    REMOVED = "removed"
    FINISHED = (SUCCESS, FAILED, SKIPPED, UPSTREAM_FAILED, REMOVED)
    WAITING = (UP_FOR_RESCHEDULE, DEFERRED)  # a try paused between two of its runs
    ALL = (
        "none", SCHEDULED, QUEUED, RUNNING, SUCCESS, FAILED,
        SKIPPED, UPSTREAM_FAILED, UP_FOR_RETRY, REMOVED, UP_FOR_RESCHEDULE, DEFERRED,
    )  # fmt: skip


class _TryFields:
    """Columns a task instance and each archived try have in common."""

    task_id: Mapped[str] = mapped_column(String(250))
    try_number: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str | None] = mapped_column(String(20))
    operator: Mapped[str | None] = mapped_column(String(100))
    queued_at: Mapped[datetime | None]
    start_date: Mapped[datetime | None]
    end_date: Mapped[datetime | None]
    duration: Mapped[float | None] = mapped_column(Float)
    hostname: Mapped[str | None] = mapped_column(String(250))
    pid: Mapped[int | None] = mapped_column(Integer)
    queue: Mapped[str | None] = mapped_column(String(256))  # the workers' queue it is sent to


class TaskInstance(_TryFields, Base):
    __tablename__ = "task_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    dag_run_id: Mapped[int] = mapped_column(ForeignKey("dag_run.id", ondelete="CASCADE"))
    dag_id: Mapped[str] = mapped_column(String(250))
    # -1: an unmapped task, or a mapped one not yet expanded; 0..n-1 once expanded (as Airflow)
    map_index: Mapped[int] = mapped_column(Integer, default=-1, server_default="-1")
    max_tries: Mapped[int] = mapped_column(Integer, default=0)  # retries + 1
    next_try_at: Mapped[datetime | None]  # when up_for_retry becomes schedulable
    # Set while a runner of the current try may be alive (claim to release): no next
    # try is queued before it is NULL again or older than the heartbeat timeout.
    last_heartbeat_at: Mapped[datetime | None] = mapped_column(index=True)
    pool: Mapped[str] = mapped_column(String(256), default="default_pool")  # see models.pool
    pool_slots: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str | None] = mapped_column(Text)  # set by users, never by the scheduler
    # Sensors and deferral (see try_outcomes.pause_try): the next queueing of the task
    # continues its current try (same try number) while ``continues_try`` is set.
    continues_try: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    next_poke_at: Mapped[datetime | None]  # when up_for_reschedule becomes schedulable
    first_poke_at: Mapped[datetime | None]  # a sensor's timeout counts from here
    poke_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    trigger_id: Mapped[int | None] = mapped_column(
        ForeignKey("trigger.id", ondelete="SET NULL"), index=True
    )
    next_method: Mapped[str | None] = mapped_column(String(100))  # what a resumed try calls
    next_kwargs: Mapped[str | None] = mapped_column(Text)  # its JSON object of arguments
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("dag_run_id", "task_id", "map_index"),
        Index("ix_task_instance_state", "state", "dag_id"),
        # covers the grid's per-run concatenation of (task, state) and max map_index, its
        # counts of map indexes per state, and a mapped task's instances filtered by state
        # in map-index order, so none of them touches the table
        Index("ix_task_instance_grid", "dag_run_id", "task_id", "state", "map_index"),
    )


class TaskInstanceHistory(_TryFields, Base):
    """An earlier try of a task instance, kept when it is retried or cleared."""

    __tablename__ = "task_instance_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_instance_id: Mapped[int] = mapped_column(
        ForeignKey("task_instance.id", ondelete="CASCADE")
    )

    __table_args__ = (UniqueConstraint("task_instance_id", "try_number"),)


class RenderedTaskFields(Base):
    __tablename__ = "rendered_task_fields"

    task_instance_id: Mapped[int] = mapped_column(
        ForeignKey("task_instance.id", ondelete="CASCADE"), primary_key=True
    )
    try_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    rendered: Mapped[str] = mapped_column(Text)  # JSON object: field -> rendered value
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def archive_try(session: Session, ti: TaskInstance) -> TaskInstanceHistory | None:
    """Copy the current try of ``ti`` into history before it is retried or cleared.

    A task instance that never started (try 0) has nothing to keep. Idempotent
    per try: archiving the same try twice keeps the first copy.
    """
    if not ti.try_number:
        return None
    found = session.scalar(
        select(TaskInstanceHistory).where(
            TaskInstanceHistory.task_instance_id == ti.id,
            TaskInstanceHistory.try_number == ti.try_number,
        )
    )
    if found is not None:
        return found
    history = TaskInstanceHistory(
        task_instance_id=ti.id,
        **{name: getattr(ti, name) for name in _TRY_COLUMNS},
    )
    session.add(history)
    return history


def clear_try(session: Session, ti: TaskInstance, retries: int) -> None:
    """Archive the current try and reset ``ti`` so the scheduler runs it again with full retries."""
    archive_try(session, ti)
    ti.state = TaskState.NONE
    ti.next_try_at = None
    ti.max_tries = ti.try_number + retries + 1


_TRY_COLUMNS = (
    "task_id", "try_number", "state", "operator", "queued_at", "start_date",
    "end_date", "duration", "hostname", "pid", "queue",
)  # fmt: skip

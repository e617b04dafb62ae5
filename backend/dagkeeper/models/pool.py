"""Slot pools: named limits on how many task slots run at once across all DAGs.

A task takes ``pool_slots`` slots of its ``pool`` (``default_pool`` unless it
names one) while it is queued or running; the scheduler queues it only when
the pool has that many slots open. Occupancy is counted from
``task_instance`` rows, so every scheduler and web worker sees the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.models.base import Base
from dagkeeper.models.task_instance import TaskInstance, TaskState

DEFAULT_POOL = "default_pool"


class Pool(Base):
    __tablename__ = "slot_pool"

    id: Mapped[int] = mapped_column(primary_key=True)
    pool: Mapped[str] = mapped_column(String(256), unique=True)
    slots: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class Occupancy:
    running: int = 0
    queued: int = 0
    scheduled: int = 0


_COUNTED = (TaskState.RUNNING, TaskState.QUEUED, TaskState.SCHEDULED)


def pool_occupancy(session: Session, pools: list[str] | None = None) -> dict[str, Occupancy]:
    """Slots taken per pool by running and queued tasks (and asked for by scheduled ones)."""
    query = (
        select(TaskInstance.pool, TaskInstance.state, func.sum(TaskInstance.pool_slots))
        .where(TaskInstance.state.in_(_COUNTED))
        .group_by(TaskInstance.pool, TaskInstance.state)
    )
    if pools is not None:
        query = query.where(TaskInstance.pool.in_(pools))
    counts: dict[str, dict[str, int]] = {}
    for pool, state, slots in session.execute(query):
        counts.setdefault(pool, {})[state] = int(slots or 0)
    return {pool: Occupancy(**by_state) for pool, by_state in counts.items()}


def open_slots(pool: Pool, occupancy: Occupancy) -> int:
    return pool.slots - occupancy.running - occupancy.queued


def free_pool_slots(session: Session) -> dict[str, int]:
    """Open slots per pool, for the scheduler's claim step; a pool not listed does not exist."""
    occupancy = pool_occupancy(session)
    return {
        pool.pool: open_slots(pool, occupancy.get(pool.pool, Occupancy()))
        for pool in session.scalars(select(Pool))
    }

"""Free slots, counted from the database: parallelism, max_active_tasks, per-queue limits.

Every try that holds a process somewhere -- queued, running, or finished or
cleared while its runner is still stopping (``last_heartbeat_at`` set) --
counts against each limit it falls under, whichever scheduler queued it and
whichever host runs it. Nothing is counted in executor memory, so several
schedulers and a restarted one agree.

A limit is a name per try (its DAG, its queue) and a capacity per name;
pools add one more (see :mod:`.task_instances`): the pool's name per try,
its open slots from the pool table, and the try's ``pool_slots`` as its size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dagkeeper.executors import TaskKey
from dagkeeper.models import Dag, TaskInstance, TaskState

ACTIVE_TI_STATES = (TaskState.QUEUED, TaskState.RUNNING)
DEFAULT_MAX_ACTIVE_TASKS = 16


@dataclass(frozen=True)
class SlotLimits:
    parallelism: int
    queue_slots: dict[str, int] = field(default_factory=dict)  # absent queue: no own limit


@dataclass
class _Limit:
    name_of: Callable[[TaskKey], str]
    capacity: Callable[[str], int | None]  # None: unlimited
    used: Counter
    size: Callable[[TaskKey], int]  # slots one try takes (a pool's pool_slots; else 1)


class Slots:
    """What may still start; :meth:`take` reserves a slot of every limit a try falls under."""

    def __init__(self, parallelism: int, used_total: int):
        self.free = parallelism - used_total
        self._limits: list[_Limit] = []

    def add_limit(
        self,
        name_of: Callable[[TaskKey], str],
        capacity: Callable[[str], int | None],
        used,
        size: Callable[[TaskKey], int] = lambda key: 1,
    ) -> None:
        self._limits.append(_Limit(name_of, capacity, Counter(used), size))

    def take(self, key: TaskKey) -> bool:
        if self.free <= 0:
            return False
        names = [limit.name_of(key) for limit in self._limits]
        for limit, name in zip(self._limits, names, strict=True):
            capacity = limit.capacity(name)
            if capacity is not None and limit.used[name] + limit.size(key) > capacity:
                return False
        for limit, name in zip(self._limits, names, strict=True):
            limit.used[name] += limit.size(key)
        self.free -= 1
        return True


def holding_a_slot():
    """Task instances that hold a process somewhere (see the module docstring)."""
    return or_(
        TaskInstance.state.in_(ACTIVE_TI_STATES), TaskInstance.last_heartbeat_at.is_not(None)
    )


def count_slots(session: Session, limits: SlotLimits, ready: list[TaskKey]) -> Slots:
    """Slots as the database has them now, for the DAGs and queues of ``ready``."""
    per_dag: Counter = Counter()
    per_queue: Counter = Counter()
    for dag_id, queue, count in session.execute(
        select(TaskInstance.dag_id, TaskInstance.queue, func.count())
        .where(holding_a_slot())
        .group_by(TaskInstance.dag_id, TaskInstance.queue)
    ):
        per_dag[dag_id] += count
        per_queue[queue] += count
    slots = Slots(limits.parallelism, sum(per_dag.values()))
    max_active = dict(
        session.execute(
            select(Dag.dag_id, Dag.max_active_tasks).where(
                Dag.dag_id.in_({key.dag_id for key in ready})
            )
        ).all()
    )
    slots.add_limit(
        lambda key: key.dag_id, lambda dag_id: max_active.get(dag_id, DEFAULT_MAX_ACTIVE_TASKS),
        per_dag,
    )  # fmt: skip
    slots.add_limit(lambda key: key.queue, limits.queue_slots.get, per_queue)
    return slots

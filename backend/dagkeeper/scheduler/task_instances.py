"""Task instances of running runs: readiness, run completion and queueing.

A pass first *plans* from a plain read (every task instance of every running
run in one query, trigger rules decided in topological order so a skip or an
upstream failure propagates down a whole chain at once), then *applies* the
plan in one short write transaction -- only when there is something to
write, because on SQLite every write transaction takes the one write lock
the task runners need too. Updates are guarded (``WHERE state IS NULL``, or
the state the plan saw), so a concurrent clear or "mark success" from the API
always wins over a plan made just before it.

A task instance whose runner may still be alive (``last_heartbeat_at`` set
while it is no longer running: cleared or marked while it ran) counts as
running for its downstream tasks and its run, and its next try is not queued
until that runner has released it or its heartbeat has expired: two tries of
one task never run at once.

Besides trigger rules, a task with ``depends_on_past`` waits until the same
task in the previous run (by logical date) succeeded or was skipped, and
with ``wait_for_downstream`` until that task's direct downstream tasks did
too. Ready tasks are queued heaviest first (effective priority weight). A
run older than its DAG's ``dagrun_timeout`` fails, and its unfinished tasks
are skipped. Inside a mapped task group, map index ``i`` of a task waits
only for map index ``i`` of the group's tasks it depends on (``_at_map_index``).
"""

from __future__ import annotations

import logging
from collections import ChainMap, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from dagkeeper.config import load_settings
from dagkeeper.executors import TaskKey
from dagkeeper.models import ChangeKind, DagRun, RunState, TaskInstance, TaskState
from dagkeeper.models.pool import free_pool_slots
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.scheduler.mapping import Unmappable, expand, map_length
from dagkeeper.scheduler.slots import SlotLimits, count_slots
from dagkeeper.scheduler.trigger_rules import DONE, Decision, decide, run_state_from_leaves

log = logging.getLogger(__name__)
_UNFINISHED = (
    TaskState.SCHEDULED, TaskState.QUEUED, TaskState.RUNNING, TaskState.UP_FOR_RETRY,
    *TaskState.WAITING,
)  # fmt: skip
_CHUNK = 500  # ids per IN (...) list, well under every backend's parameter limit


@dataclass
class Plan:
    to_schedule: list[int] = field(default_factory=list)
    to_retry: list[int] = field(default_factory=list)
    to_repoke: list[int] = field(default_factory=list)  # up_for_reschedule sensors now due
    to_finish: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    finished_runs: list[tuple[int, str]] = field(default_factory=list)  # (run pk, state)
    timed_out_runs: list[int] = field(default_factory=list)  # run pks past dagrun_timeout
    to_queue: list[TaskKey] = field(default_factory=list)  # try_number: the current one
    to_expand: list[tuple[int, int]] = field(default_factory=list)  # (ti id, map length)
    touched: set[str] = field(default_factory=set)  # DAGs whose rows the plan changes
    next_deadline: datetime | None = None  # earliest retry or poke that is not due yet

    @property
    def empty(self) -> bool:
        return not (
            self.to_schedule
            or self.to_retry
            or self.to_repoke
            or self.to_finish
            or self.finished_runs
            or self.timed_out_runs
            or self.to_queue
            or self.to_expand
        )


def _chunks(ids: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def plan_task_instances(
    session: Session, documents: DocumentCache, now: datetime, limits: SlotLimits
) -> Plan:
    """Decide what changes, within the slots the database has free (see :mod:`.slots`)."""
    plan = Plan()
    runs = session.execute(
        select(
            DagRun.id,
            DagRun.dag_id,
            DagRun.run_id,
            DagRun.dag_version_id,
            DagRun.logical_date,
            DagRun.start_date,
        )  # fmt: skip
        .where(DagRun.state == RunState.RUNNING)
        .order_by(DagRun.logical_date, DagRun.id)
    ).all()
    if not runs:
        return plan
    tis_by_run: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in session.execute(
        select(
            TaskInstance.id,
            TaskInstance.dag_run_id,
            TaskInstance.task_id,
            TaskInstance.map_index,
            TaskInstance.state,
            TaskInstance.try_number,
            TaskInstance.next_try_at,
            TaskInstance.next_poke_at,
            TaskInstance.queue,
            TaskInstance.last_heartbeat_at,
            TaskInstance.pool,
            TaskInstance.pool_slots,
        )
        .where(TaskInstance.dag_run_id.in_([r.id for r in runs]))
        .order_by(TaskInstance.map_index)
    ):
        tis_by_run[row.dag_run_id][row.task_id].append(row)

    ready: list[tuple[int, TaskKey]] = []  # (effective priority weight, key)
    pool_needs: dict[int, tuple[str, int]] = {}  # ti id -> (pool, slots) of ready ones
    for run in runs:
        cached = documents.get(session, run.dag_version_id)
        tis = tis_by_run.get(run.id, {})
        # every map index of a mapped task counts as one upstream task instance, as in Airflow
        states = {task_id: [_effective_state(ti) for ti in rows] for task_id, rows in tis.items()}
        timeout = cached.document.dagrun_timeout
        if timeout and run.start_date and now - _aware(run.start_date) > timedelta(seconds=timeout):
            plan.timed_out_runs.append(run.id)
            plan.touched.add(run.dag_id)
            continue
        past = _PastRun(session, run)
        for task_id in cached.order:
            task = cached.document.tasks[task_id]
            paired = _paired_upstream(task, cached)
            decision: Decision | None = None  # decided once per task, for all its map indexes
            for index, ti in enumerate(tis.get(task_id, ())):
                state = states[task_id][index]
                if state is None:
                    if paired:  # ... unless it waits on its own map index of some upstreams
                        at_index = _at_map_index(ti.map_index, paired, tis, states)
                        decision = _decide(task, cached, ChainMap(at_index, states), past)
                    elif decision is None:
                        decision = _decide(task, cached, states, past)
                    if decision is Decision.WAIT:
                        continue
                    if decision is Decision.RUN and task.is_mapped and ti.map_index < 0:
                        state = _plan_expansion(session, plan, run.id, task, ti.id)
                        if state is None:
                            plan.touched.add(run.dag_id)
                            continue
                    elif decision is Decision.RUN:
                        state = TaskState.SCHEDULED
                        plan.to_schedule.append(ti.id)
                    else:
                        state = decision.value
                    if state != TaskState.SCHEDULED:
                        plan.to_finish[state].append(ti.id)
                    states[task_id][index] = state
                    plan.touched.add(run.dag_id)
                elif state in (TaskState.UP_FOR_RETRY, TaskState.UP_FOR_RESCHEDULE):
                    retry = state == TaskState.UP_FOR_RETRY
                    due_at = ti.next_try_at if retry else ti.next_poke_at
                    if due_at is not None and due_at > now:
                        if plan.next_deadline is None or due_at < plan.next_deadline:
                            plan.next_deadline = due_at
                        continue
                    state = states[task_id][index] = TaskState.SCHEDULED
                    (plan.to_retry if retry else plan.to_repoke).append(ti.id)
                    plan.touched.add(run.dag_id)
                if state == TaskState.SCHEDULED and ti.last_heartbeat_at is None:
                    key = TaskKey(
                        ti.id, ti.try_number, run.dag_id, run.run_id, task_id, ti.queue,
                        ti.map_index,
                    )  # fmt: skip
                    ready.append((cached.weights[task_id], key))
                    pool_needs[ti.id] = (ti.pool, ti.pool_slots)
        if all(s in DONE for task_states in states.values() for s in task_states):
            leaves = [s for t in cached.leaves for s in states.get(t, ())]
            plan.finished_runs.append((run.id, run_state_from_leaves(leaves)))
            plan.touched.add(run.dag_id)
    if ready:
        ready.sort(key=lambda item: -item[0])  # stable: runs and task order break ties
        keys = [key for _, key in ready]
        slots = count_slots(session, limits, keys)
        # a pool is one more limit; a task naming a pool that does not exist waits for it
        open_slots = free_pool_slots(session)
        slots.add_limit(
            lambda key: pool_needs[key.ti_id][0], lambda pool: open_slots.get(pool, 0), {},
            size=lambda key: pool_needs[key.ti_id][1],
        )  # fmt: skip
        plan.to_queue = [key for key in keys if slots.take(key)]
    return plan


def _decide(task, cached, states: Mapping[str, list[str | None]], past: _PastRun) -> Decision:
    """The trigger rule's decision (and ``depends_on_past``'s wait) for a task of a run."""

    def of(task_ids: Iterable[str]) -> list[str | None]:
        return [s for t in task_ids for s in states.get(t, [None])]

    decision = decide(
        task.trigger_rule,
        of(cached.document.upstream[task.task_id]),
        of(cached.setups[task.task_id]),
    )
    if (
        decision is Decision.RUN
        and task.depends_on_past
        and not past.allows(task, cached.document.downstream[task.task_id])
    ):
        return Decision.WAIT
    return decision


def _paired_upstream(task, cached) -> list[str]:
    """The direct upstream tasks in the same mapped task group: map index ``i`` waits
    only for their map index ``i``, as in Airflow."""
    if task.mapped_group is None:
        return []
    tasks = cached.document.tasks
    return [
        u for u in cached.document.upstream[task.task_id]
        if tasks[u].mapped_group == task.mapped_group
    ]  # fmt: skip


def _at_map_index(
    map_index: int, paired: list[str], tis: dict[str, list], states: dict[str, list[str | None]]
) -> dict[str, list[str | None]]:
    """The states of map index ``map_index`` of each ``paired`` upstream task.

    An upstream not yet expanded counts with its one state; an unexpanded task
    does not wait for the map indexes of an expanded one (its length comes from
    the same sources), only its own map indexes will.
    """
    found: dict[str, list[str | None]] = {}
    for upstream in paired:
        rows = tis.get(upstream, ())
        if not rows:
            continue
        if rows[0].map_index < 0:
            found[upstream] = states[upstream][:1]
        elif map_index < 0:
            found[upstream] = []
        else:
            found[upstream] = [states[upstream][i] for i in _positions(rows, map_index)]
    return found


def _positions(rows: list, map_index: int) -> list[int]:
    """Where map index ``map_index`` is in ``rows`` (sorted by map index, usually 0..n-1)."""
    if map_index < len(rows) and rows[map_index].map_index == map_index:
        return [map_index]
    return [i for i, row in enumerate(rows) if row.map_index == map_index]


def _plan_expansion(session: Session, plan: Plan, run_pk: int, task, ti_id: int) -> str | None:
    """A mapped task's upstreams are done: expand it (None), or end it when there is nothing
    to map (skipped) or the source cannot be mapped (failed)."""
    try:
        length = map_length(session, run_pk, task.expand, load_settings().max_map_length)
    except Unmappable as exc:
        log.warning("cannot expand %s of run %d: %s", task.task_id, run_pk, exc)
        return TaskState.FAILED
    if length == 0:
        return TaskState.SKIPPED
    plan.to_expand.append((ti_id, length))
    return None


def _effective_state(ti) -> str | None:
    """A finished try whose runner is still stopping counts as running (see module docstring)."""
    if ti.last_heartbeat_at is not None and ti.state in TaskState.FINISHED:
        return TaskState.RUNNING
    return ti.state


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored datetime is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _PastRun:
    """The task states of a run's previous run (by logical date), read once and only if needed."""

    def __init__(self, session: Session, run) -> None:
        self.session = session
        self.run = run
        self._states: dict[str, str | None] | None = None

    def states(self) -> dict[str, str | None]:
        if self._states is None:
            previous = (
                select(DagRun.id)
                .where(
                    DagRun.dag_id == self.run.dag_id, DagRun.logical_date < self.run.logical_date
                )
                .order_by(DagRun.logical_date.desc())
                .limit(1)
                .scalar_subquery()
            )
            self._states = dict(
                self.session.execute(
                    select(TaskInstance.task_id, TaskInstance.state).where(
                        TaskInstance.dag_run_id == previous
                    )
                ).all()
            )
        return self._states

    def allows(self, task, downstream: list[str]) -> bool:
        """``depends_on_past``: the task (and with ``wait_for_downstream`` its direct
        downstream tasks) ended in success or skipped in the previous run, or did not exist."""
        states = self.states()
        ids = [task.task_id, *(downstream if task.wait_for_downstream else ())]
        return all(states[t] in _PAST_OK for t in ids if t in states)


_PAST_OK = (TaskState.SUCCESS, TaskState.SKIPPED)


def _set_state(session: Session, ids: Sequence[int], expected: str | None, values: dict) -> None:
    """Move ``ids`` to ``values`` where they are still in state ``expected``."""
    guard = TaskInstance.state.is_(None) if expected is None else TaskInstance.state == expected
    for chunk in _chunks(ids):
        session.execute(
            update(TaskInstance)
            .where(TaskInstance.id.in_(chunk), guard)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def apply_plan(session: Session, plan: Plan, now: datetime) -> list[TaskKey]:
    """Write the plan; returns the tries now queued, to hand to the executor.

    The scheduler increments ``try_number`` when it queues: the runner for
    try N only starts if the task instance is still queued at try N. A try
    that paused (``continues_try``: a sensor's reschedule, a fired trigger)
    is queued again at the same number, with its sensor fields kept.
    """
    for ti_id, length in plan.to_expand:
        expand(session, ti_id, length)  # the new map indexes are scheduled by the next pass
    new_try = {"state": TaskState.SCHEDULED, "continues_try": False}
    _set_state(session, plan.to_schedule, None, new_try)
    _set_state(session, plan.to_retry, TaskState.UP_FOR_RETRY, new_try)
    _set_state(session, plan.to_repoke, TaskState.UP_FOR_RESCHEDULE,
               {"state": TaskState.SCHEDULED, "continues_try": True})  # fmt: skip
    for state, ids in plan.to_finish.items():
        _set_state(session, ids, None, {"state": state, "end_date": now, "duration": 0.0})
    for run_pk in plan.timed_out_runs:
        session.execute(
            update(TaskInstance)
            .where(
                TaskInstance.dag_run_id == run_pk,
                TaskInstance.state.is_(None) | TaskInstance.state.in_(_UNFINISHED),
            )
            .values(state=TaskState.SKIPPED, end_date=now)
            .execution_options(synchronize_session=False)
        )
        plan.finished_runs.append((run_pk, RunState.FAILED))
    for run_pk, state in plan.finished_runs:
        session.execute(
            update(DagRun)
            .where(DagRun.id == run_pk, DagRun.state == RunState.RUNNING)
            .values(state=state, end_date=now)
            .execution_options(synchronize_session=False)
        )
    queued = []
    for chunk in _chunks(plan.to_queue):
        by_id = {key.ti_id: key for key in chunk}
        rows = session.execute(
            update(TaskInstance)
            .where(
                TaskInstance.id.in_(by_id),
                TaskInstance.state == TaskState.SCHEDULED,
                TaskInstance.last_heartbeat_at.is_(None),
            )
            .values(
                state=TaskState.QUEUED,
                try_number=_if_continued(TaskInstance.try_number, TaskInstance.try_number + 1),
                first_poke_at=_if_continued(TaskInstance.first_poke_at, None),
                poke_count=_if_continued(TaskInstance.poke_count, 0),
                next_method=_if_continued(TaskInstance.next_method, None),
                next_kwargs=_if_continued(TaskInstance.next_kwargs, None),
                trigger_id=None,
                continues_try=False,
                queued_at=now,
                next_try_at=None,
                next_poke_at=None,
                start_date=None,
                end_date=None,
                duration=None,
                hostname=None,
                pid=None,
            )
            .returning(TaskInstance.id, TaskInstance.try_number)
            .execution_options(synchronize_session=False)
        ).all()
        queued += [by_id[ti_id]._replace(try_number=try_number) for ti_id, try_number in rows]
    plan.touched |= {key.dag_id for key in queued}
    return queued


def _if_continued(kept, otherwise):
    """The value of a column when queued: kept while a paused try continues, else reset."""
    return case((TaskInstance.continues_try, kept), else_=otherwise)


def changes_of(plan: Plan) -> list[tuple[str, str]]:
    return [(dag_id, ChangeKind.RUN) for dag_id in sorted(plan.touched)]

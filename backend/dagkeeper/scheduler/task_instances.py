"""Task instances of running runs: readiness, run completion and queueing.

One pass reads every task instance of every running run with one query,
decides in memory (trigger rules in topological order, so a skip or an
upstream failure propagates down a whole chain in one pass), and writes the
outcome with guarded bulk updates: ``WHERE state IS NULL`` (or the state the
pass saw), so a concurrent clear or "mark success" from the API always wins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dagkeeper.executors import TaskKey
from dagkeeper.models import ChangeKind, Dag, DagRun, RunState, TaskInstance, TaskState
from dagkeeper.scheduler.dependencies import DONE, Decision, decide, run_state_from_leaves
from dagkeeper.scheduler.documents import DocumentCache

ACTIVE_TI_STATES = (TaskState.QUEUED, TaskState.RUNNING)
_CHUNK = 500  # ids per IN (...) list, well under every backend's parameter limit


@dataclass
class PassResult:
    changes: list[tuple[str, str]] = field(default_factory=list)
    to_execute: list[TaskKey] = field(default_factory=list)
    next_deadline: datetime | None = None  # earliest retry that is not due yet


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


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


def schedule_task_instances(
    session: Session, documents: DocumentCache, now: datetime, free_slots: int
) -> PassResult:
    """Decide, finish runs and queue up to ``free_slots`` task instances, in one transaction."""
    result = PassResult()
    runs = session.execute(
        select(DagRun.id, DagRun.dag_id, DagRun.run_id, DagRun.dag_version_id)
        .where(DagRun.state == RunState.RUNNING)
        .order_by(DagRun.logical_date, DagRun.id)
    ).all()
    if not runs:
        return result
    tis_by_run: dict[int, dict[str, list]] = defaultdict(dict)
    for row in session.execute(
        select(
            TaskInstance.id,
            TaskInstance.dag_run_id,
            TaskInstance.task_id,
            TaskInstance.state,
            TaskInstance.try_number,
            TaskInstance.next_try_at,
        ).where(TaskInstance.dag_run_id.in_([r.id for r in runs]))
    ):
        tis_by_run[row.dag_run_id][row.task_id] = list(row)

    to_schedule: list[int] = []
    to_retry: list[int] = []
    to_finish: dict[str, list[int]] = defaultdict(list)
    finished_runs: list[tuple[int, str]] = []
    active_per_dag: dict[str, int] = defaultdict(int)
    ready: list[tuple[int, int, str, str, str]] = []  # (ti id, try, dag, run, task)
    touched: set[str] = set()  # DAGs whose runs or task instances this pass changes

    for run in runs:
        cached = documents.get(session, run.dag_version_id)
        tis = tis_by_run.get(run.id, {})
        states = {task_id: ti[3] for task_id, ti in tis.items()}
        for task_id in cached.order:
            ti = tis.get(task_id)
            if ti is None:
                continue
            state = states[task_id]
            if state is None:
                rule = cached.document.tasks[task_id].trigger_rule
                decision = decide(rule, (states.get(u) for u in cached.document.upstream[task_id]))
                if decision is Decision.WAIT:
                    continue
                if decision is Decision.RUN:
                    state = TaskState.SCHEDULED
                    to_schedule.append(ti[0])
                else:
                    state = decision.value
                    to_finish[state].append(ti[0])
                states[task_id] = state
                touched.add(run.dag_id)
            elif state == TaskState.UP_FOR_RETRY:
                if ti[5] is not None and ti[5] > now:
                    if result.next_deadline is None or ti[5] < result.next_deadline:
                        result.next_deadline = ti[5]
                    continue
                state = states[task_id] = TaskState.SCHEDULED
                to_retry.append(ti[0])
                touched.add(run.dag_id)
            if state in ACTIVE_TI_STATES:
                active_per_dag[run.dag_id] += 1
            elif state == TaskState.SCHEDULED:
                ready.append((ti[0], ti[4], run.dag_id, run.run_id, task_id))
        if all(s in DONE for s in states.values()):
            leaves = [states[t] for t in cached.leaves if t in states]
            finished_runs.append((run.id, run_state_from_leaves(leaves)))
            touched.add(run.dag_id)

    _set_state(session, to_schedule, None, {"state": TaskState.SCHEDULED})
    _set_state(session, to_retry, TaskState.UP_FOR_RETRY, {"state": TaskState.SCHEDULED})
    for state, ids in to_finish.items():
        _set_state(session, ids, None, {"state": state, "end_date": now, "duration": 0.0})
    for run_id, state in finished_runs:
        session.execute(
            update(DagRun)
            .where(DagRun.id == run_id, DagRun.state == RunState.RUNNING)
            .values(state=state, end_date=now)
            .execution_options(synchronize_session=False)
        )
    result.to_execute = _queue(session, ready, active_per_dag, free_slots, now)
    touched |= {key.dag_id for key in result.to_execute}
    result.changes = [(dag_id, ChangeKind.RUN) for dag_id in sorted(touched)]
    return result


def _queue(
    session: Session,
    ready: list[tuple[int, int, str, str, str]],
    active_per_dag: dict[str, int],
    free_slots: int,
    now: datetime,
) -> list[TaskKey]:
    """Queue scheduled task instances within parallelism and each DAG's max_active_tasks.

    The scheduler increments ``try_number`` here: the runner for try N only
    starts if the task instance is still queued at try N.
    """
    if free_slots <= 0 or not ready:
        return []
    limits = dict(
        session.execute(
            select(Dag.dag_id, Dag.max_active_tasks).where(
                Dag.dag_id.in_({dag_id for _, _, dag_id, _, _ in ready})
            )
        ).all()
    )
    chosen: list[tuple[int, int, str, str, str]] = []
    for item in ready:
        if len(chosen) >= free_slots:
            break
        dag_id = item[2]
        if active_per_dag[dag_id] >= limits.get(dag_id, 16):
            continue
        active_per_dag[dag_id] += 1
        chosen.append(item)
    keys = []
    for chunk in _chunks(chosen):
        queued = {
            row.id: row.try_number
            for row in session.execute(
                update(TaskInstance)
                .where(
                    TaskInstance.id.in_([c[0] for c in chunk]),
                    TaskInstance.state == TaskState.SCHEDULED,
                )
                .values(
                    state=TaskState.QUEUED,
                    try_number=TaskInstance.try_number + 1,
                    queued_at=now,
                    next_try_at=None,
                    start_date=None,
                    end_date=None,
                    duration=None,
                    hostname=None,
                    pid=None,
                )
                .returning(TaskInstance.id, TaskInstance.try_number)
                .execution_options(synchronize_session=False)
            )
        }
        keys += [
            TaskKey(ti_id, queued[ti_id], dag_id, run_id, task_id)
            for ti_id, _, dag_id, run_id, task_id in chunk
            if ti_id in queued
        ]
    return keys

"""Clearing task instances: which ones, and what clearing writes.

Upstream/downstream closures come from the edges of each run's own version,
because a run executes the structure it was created with. As in the peer,
clearing a task also clears the setup tasks upstream of it and their
teardowns, so the work runs again with its resources. Clearing archives
the current try, resets the state so the scheduler considers the task again
with its full retries, and puts a finished run back to running.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dagkeeper.models import (
    ChangeKind,
    DagRun,
    DagVersion,
    TaskInstance,
    TaskState,
    archive_try,
    record_change,
)  # fmt: skip
from dagkeeper.models.version import read_document
from dagkeeper.serialization import DagDocument

FAILED = (TaskState.FAILED, TaskState.UPSTREAM_FAILED)


@dataclass(frozen=True)
class ClearRequest:
    dag_id: str
    run_ids: list[str]
    task_ids: list[str] | None  # None: every task
    include_upstream: bool
    include_downstream: bool
    only_failed: bool
    dry_run: bool
    map_indexes: list[int] | None = None  # only these map indexes of the tasks in task_ids


def closure(
    document: DagDocument, start: Iterable[str], upstream: bool, downstream: bool
) -> set[str]:
    """``start``'s tasks with, on request, everything up- or downstream of them.

    The setup tasks upstream of what is cleared come along, with their teardowns.
    """
    chosen = {t for t in start if t in document.tasks}
    result = set(chosen)
    if upstream:
        result |= _reach(chosen, document.upstream)
    if downstream:
        result |= _reach(chosen, document.downstream)
    tasks = document.tasks
    setups = {t for t in _reach(result, document.upstream) if tasks[t].is_setup}
    if setups:
        teardowns = {t for t in _reach(setups, document.downstream) if tasks[t].is_teardown}
        result |= setups | teardowns
    return result


def _reach(start: set[str], neighbours: dict[str, list[str]]) -> set[str]:
    seen = set(start)
    stack = list(start)
    while stack:
        for other in neighbours[stack.pop()]:
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


def _unexpand(session: Session, run_pk: int, task_id: str, tis: list[TaskInstance]) -> None:
    """Every map index of the task was cleared: back to one unexpanded task instance.

    Map index 0 keeps its tries (it becomes -1); the others are removed with theirs.
    """
    count = session.scalar(
        select(func.count()).where(
            TaskInstance.dag_run_id == run_pk, TaskInstance.task_id == task_id
        )
    )
    if count != len(tis):  # only_failed left some: keep the expansion
        return
    for ti in tis:
        if ti.map_index > 0:
            session.delete(ti)
    session.flush()
    next(ti for ti in tis if ti.map_index == 0).map_index = -1


def unknown_runs(session: Session, dag_id: str, run_ids: list[str]) -> list[str]:
    found = set(
        session.scalars(
            select(DagRun.run_id).where(DagRun.dag_id == dag_id, DagRun.run_id.in_(run_ids))
        )
    )
    return sorted(set(run_ids) - found)


def clear(
    session: Session, request: ClearRequest
) -> tuple[list[tuple[str, str, int, str | None]], set[str]]:
    """Clear (or with ``dry_run`` only list) task instances.

    Returns ``(run_id, task_id, map_index, state before)`` per cleared
    instance, and the requested task ids that no involved version knows.
    With ``map_indexes``, the requested tasks' other map indexes are left as
    they are (tasks cleared because they are up- or downstream are cleared
    whole). A mapped task cleared whole goes back to unexpanded, so it is
    expanded again from what its upstream tasks produce this time.
    """
    runs = session.execute(
        select(DagRun, DagVersion.document, DagVersion.relations)
        .join(DagVersion, DagVersion.id == DagRun.dag_version_id)
        .where(DagRun.dag_id == request.dag_id, DagRun.run_id.in_(request.run_ids))
        .order_by(DagRun.logical_date)
    ).all()
    documents: dict[int, DagDocument] = {}
    known: set[str] = set()
    cleared: list[tuple[str, str, int, str | None]] = []
    for run, text, relations in runs:
        document = documents.get(run.dag_version_id)
        if document is None:
            document = documents[run.dag_version_id] = read_document(text, relations)
        known |= document.tasks.keys()
        wanted = request.task_ids if request.task_ids is not None else list(document.tasks)
        task_ids = closure(document, wanted, request.include_upstream, request.include_downstream)
        instances = session.scalars(
            select(TaskInstance)
            .where(TaskInstance.dag_run_id == run.id, TaskInstance.task_id.in_(task_ids))
            .order_by(TaskInstance.task_id, TaskInstance.map_index)
        )
        touched = False
        partly = set(wanted) if request.map_indexes is not None else set()
        chosen = set(request.map_indexes or ())
        whole: dict[str, list[TaskInstance]] = {}
        for ti in instances:
            if request.only_failed and ti.state not in FAILED:
                continue
            if ti.task_id in partly and ti.map_index not in chosen:
                continue
            cleared.append((run.run_id, ti.task_id, ti.map_index, ti.state))
            touched = True
            if not request.dry_run:
                archive_try(session, ti)
                ti.state = TaskState.NONE
                ti.next_try_at = None
                ti.max_tries = ti.try_number + document.tasks[ti.task_id].retries + 1
                if ti.map_index >= 0 and ti.task_id not in partly:
                    whole.setdefault(ti.task_id, []).append(ti)
        for task_id, tis in whole.items():
            _unexpand(session, run.id, task_id, tis)
        if touched and not request.dry_run:
            run.reopen()
    if cleared and not request.dry_run:
        record_change(session, [(request.dag_id, ChangeKind.RUN)])
    unknown = set(request.task_ids or ()) - known
    return cleared, unknown

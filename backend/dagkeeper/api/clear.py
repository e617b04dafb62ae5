"""Clearing task instances: which ones, and what clearing writes.

Upstream/downstream closures come from the edges of each run's own version,
because a run executes the structure it was created with. As in the peer,
clearing a task also clears the setup tasks upstream of it and their
teardowns, so the work runs again with its resources. Clearing archives
the current try, resets the state so the scheduler considers the task again
with its full retries, and puts a finished run back to running.

Clearing an ``ExternalTaskMarker`` clears its external task (and what is
downstream of it) in the other DAG's run at the marker's logical date, as
rendered when the marker ran (its stored template values, or this run's
date, when it never ran), and so on through markers there, at most
``recursion_depth`` DAGs deep, and only in DAGs the caller may edit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dagkeeper.models import (
    ChangeKind,
    DagRun,
    DagVersion,
    RenderedTaskFields,
    TaskInstance,
    TaskState,
    clear_try,
    record_change,
)  # fmt: skip
from dagkeeper.models.version import read_document
from dagkeeper.serialization import DagDocument

FAILED = (TaskState.FAILED, TaskState.UPSTREAM_FAILED)
MARKER = "ExternalTaskMarker"
Cleared = tuple[str, str, str, int, str | None]  # dag_id, run_id, task_id, map_index, state


@dataclass(frozen=True)
class ClearRequest:
    dag_id: str
    run_ids: list[str]
    task_ids: list[str] | None  # None: every task
    include_upstream: bool
    include_downstream: bool
    only_failed: bool
    dry_run: bool
    # which other DAGs a marker may clear in: the caller's editable ones (the API passes them)
    may_follow: Callable[[str], bool] = field(default=lambda dag_id: True, compare=False)
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


def _index_bound(document: DagDocument, wanted: Iterable[str], task_ids: set[str]) -> set[str]:
    """The tasks cleared only at the requested map indexes: the requested ones, and those of
    ``task_ids`` in the same mapped task group, where index ``i`` depends on index ``i`` only."""
    tasks = document.tasks
    requested = {t for t in wanted if t in tasks}
    groups = {tasks[t].mapped_group for t in requested} - {None}
    return requested | {t for t in task_ids if tasks[t].mapped_group in groups}


def unknown_runs(session: Session, dag_id: str, run_ids: list[str]) -> list[str]:
    found = set(
        session.scalars(
            select(DagRun.run_id).where(DagRun.dag_id == dag_id, DagRun.run_id.in_(run_ids))
        )
    )
    return sorted(set(run_ids) - found)


def clear(
    session: Session, request: ClearRequest, depth: int | None = None
) -> tuple[list[Cleared], set[str]]:
    """Clear (or with ``dry_run`` only list) task instances, following markers ``depth`` deep.

    Returns ``(dag_id, run_id, task_id, map_index, state before)`` per cleared
    instance, and the requested task ids that no involved version knows.
    With ``map_indexes``, the requested tasks' other map indexes are left as
    they are, and so are those of up- and downstream tasks in the same mapped
    task group (other tasks cleared because they are up- or downstream are
    cleared whole). A mapped task cleared whole goes back to unexpanded, so it is
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
    cleared: list[Cleared] = []
    markers: list[tuple[TaskInstance, DagRun, dict[str, Any]]] = []
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
        bound = request.map_indexes is not None
        partly = _index_bound(document, wanted, task_ids) if bound else set()
        chosen = set(request.map_indexes or ())
        whole: dict[str, list[TaskInstance]] = {}
        for ti in instances:
            if request.only_failed and ti.state not in FAILED:
                continue
            if ti.task_id in partly and ti.map_index not in chosen:
                continue
            cleared.append((request.dag_id, run.run_id, ti.task_id, ti.map_index, ti.state))
            touched = True
            task = document.tasks[ti.task_id]
            if task.operator == MARKER:
                markers.append((ti, run, task.template_values))
            if not request.dry_run:
                clear_try(session, ti, document.tasks[ti.task_id].retries)
                if ti.map_index >= 0 and ti.task_id not in partly:
                    whole.setdefault(ti.task_id, []).append(ti)
        for task_id, tis in whole.items():
            _unexpand(session, run.id, task_id, tis)
        if touched and not request.dry_run:
            run.reopen()
    if cleared and not request.dry_run:
        record_change(session, [(request.dag_id, ChangeKind.RUN)])
    for ti, run, raw in markers:
        cleared += _follow_marker(session, request, ti, run, raw, depth)
    unknown = set(request.task_ids or ()) - known
    return cleared, unknown


def _follow_marker(
    session: Session, request: ClearRequest, ti: TaskInstance, run: DagRun,
    raw: dict[str, Any], depth: int | None,
) -> list[Cleared]:  # fmt: skip
    """Clear what the marker ``ti`` points at; nothing when it points at no run or is too deep."""
    values = {**raw, **_rendered(session, ti)}
    dag_id, task_id = values.get("external_dag_id"), values.get("external_task_id")
    own_depth = values.get("recursion_depth")
    left = own_depth if isinstance(own_depth, int) and own_depth > 0 else 10
    left = min(left, depth) if depth is not None else left
    moment = _marker_date(values.get("logical_date"), run.logical_date)
    if left < 1 or not isinstance(dag_id, str) or not isinstance(task_id, str) or moment is None:
        return []
    if not request.may_follow(dag_id):
        return []
    run_id = session.scalar(
        select(DagRun.run_id).where(DagRun.dag_id == dag_id, DagRun.logical_date == moment)
    )
    if run_id is None:
        return []
    external = replace(request, dag_id=dag_id, run_ids=[run_id], task_ids=[task_id],
                       include_upstream=False, include_downstream=True, only_failed=False,
                       map_indexes=None)  # fmt: skip
    return clear(session, external, left - 1)[0]


def _rendered(session: Session, ti: TaskInstance) -> dict[str, Any]:
    """The marker's template values as its latest try rendered them (empty if it never ran)."""
    text = session.scalar(
        select(RenderedTaskFields.rendered)
        .where(RenderedTaskFields.task_instance_id == ti.id)
        .order_by(RenderedTaskFields.try_number.desc())
        .limit(1)
    )
    try:
        rendered = json.loads(text) if text else {}
    except ValueError:
        return {}
    return rendered if isinstance(rendered, dict) else {}


def _marker_date(value: Any, run_date: datetime) -> datetime | None:
    """An ISO date (a template that never rendered means this run's date)."""
    if value is None or (isinstance(value, str) and "{{" in value):
        return run_date
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

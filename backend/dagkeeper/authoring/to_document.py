"""DAG object -> document dict, the one format every other process reads.

The dict is exactly what :func:`dagkeeper.serialization.dumps` validates and
canonicalises. Nothing in it depends on the process: no ids, no addresses, no
set order (``jsonable`` sorts sets and strips addresses from reprs).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.serialization import jsonable

if TYPE_CHECKING:
    from dagkeeper.authoring.baseoperator import BaseOperator
    from dagkeeper.authoring.dag import DAG
    from dagkeeper.authoring.taskgroup import TaskGroup


def check_cycle(dag: DAG) -> None:
    """Raise naming the first cycle found by a depth-first search in task-id order.

    Iterative (an explicit stack), so a chain of thousands of tasks cannot hit
    Python's recursion limit.
    """
    done: set[str] = set()
    for root in sorted(dag.task_dict):
        if root in done:
            continue
        path = [root]
        on_path = {root}
        stack = [iter(sorted(dag.task_dict[root].downstream_task_ids))]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
            elif child in on_path:
                cycle = [*path[path.index(child) :], child]
                raise DagDefinitionError(
                    f"Cycle detected in DAG {dag.dag_id!r}: {' -> '.join(cycle)}"
                )
            elif child not in done:
                path.append(child)
                on_path.add(child)
                stack.append(iter(sorted(dag.task_dict[child].downstream_task_ids)))


def _utc(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _task(task: BaseOperator) -> dict[str, Any]:
    template_values = {}
    for name in task.template_fields:
        if not hasattr(task, name):
            raise DagDefinitionError(
                f"Task {task.task_id!r}: template field {name!r} is not an attribute "
                f"of {type(task).__name__}"
            )
        template_values[name] = jsonable(getattr(task, name))
    return {
        "task_id": task.task_id,
        "label": task.task_id.rsplit(".", 1)[-1],
        "operator": type(task).__name__,
        "group": task.task_group.group_id,
        "retries": task.retries,
        "retry_delay": task.retry_delay_seconds,
        "trigger_rule": task.trigger_rule,
        "execution_timeout": task.execution_timeout_seconds,
        "owner": task.owner,
        "doc_md": task.doc_md,
        "template_fields": list(task.template_fields),
        "template_values": template_values,
        "ui_color": task.ui_color,
        "ui_fgcolor": task.ui_fgcolor,
        "display_name": task.task_display_name,
        "depends_on_past": task.depends_on_past,
        "wait_for_downstream": task.wait_for_downstream,
        "priority_weight": task.priority_weight,
        "weight_rule": task.weight_rule,
        "pool": task.pool,
        "pool_slots": task.pool_slots,
        "queue": task.queue,
        "executor_config": jsonable(task.executor_config),
        "do_xcom_push": task.do_xcom_push,
        "multiple_outputs": task.multiple_outputs,
        "retry_exponential_backoff": task.retry_exponential_backoff,
        "max_retry_delay": task.max_retry_delay_seconds,
        "is_setup": task.is_setup,
        "is_teardown": task.is_teardown,
        "on_failure_fail_dagrun": task.on_failure_fail_dagrun,
        # Only when declared, so documents (and version hashes) of other DAGs stay as they were.
        **({"inlets": [a.as_condition() for a in task.inlets]} if task.inlets else {}),
        **({"outlets": [a.as_condition() for a in task.outlets]} if task.outlets else {}),
        # only on mapped tasks, so other DAGs' documents (and version hashes) stay as they were
        **({"expand": task.expand_input.to_document()} if task.expand_input is not None else {}),
        **({"mapped_group": task.mapped_group_id} if task.mapped_group_id is not None else {}),
    }


def _group(group: TaskGroup) -> dict[str, Any]:
    parent = group.parent_group
    return {
        "group_id": group.group_id,
        "label": group.label,
        "parent": parent.group_id if parent is not None else None,
        "tooltip": group.tooltip,
        "ui_color": group.ui_color,
        "ui_fgcolor": group.ui_fgcolor,
    }


def serialize_dag(dag: DAG) -> dict[str, Any]:
    """The document dict of ``dag``; raises :class:`DagDefinitionError` on a cycle."""
    check_cycle(dag)
    tasks = [dag.task_dict[t] for t in sorted(dag.task_dict)]
    return {
        "dag_id": dag.dag_id,
        "description": dag.description,
        "doc_md": dag.doc_md,
        "schedule": dict(dag.schedule_document),
        "timezone": dag.timezone,
        "start_date": _utc(dag.start_date),
        "end_date": _utc(dag.end_date),
        "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "max_active_tasks": dag.max_active_tasks,
        "owners": sorted({t.owner for t in tasks}),
        "tags": sorted(set(dag.tags)),
        # JSON keys are sorted, so the declared order (what a trigger form shows) is kept apart
        "params": {
            name: {**p.to_document(), "position": position}
            for position, (name, p) in enumerate(dag.params.items())
        },
        "default_args": jsonable(dag.default_args),
        "tasks": [_task(t) for t in tasks],
        "task_groups": [_group(dag.task_group_dict[g]) for g in sorted(dag.task_group_dict)],
        "edges": [[t.task_id, down] for t in tasks for down in sorted(t.downstream_task_ids)],
        # Only when declared, so documents (and version hashes) of other DAGs stay as they were.
        **({"access_control": dag.access_control} if dag.access_control else {}),
        "edge_labels": [[up, down, label] for (up, down), label in dag.edge_labels.items()],
        "display_name": dag.dag_display_name,
        "dagrun_timeout": dag.dagrun_timeout,
        "is_paused_upon_creation": dag.is_paused_upon_creation,
        **({"asset_condition": dag.asset_condition} if dag.asset_condition else {}),
    }

"""Which DAG and task group new tasks attach to.

``with DAG(...)`` pushes the DAG's root group and ``with TaskGroup(...)``
pushes the group; a task created without ``dag=``/``task_group=`` joins the
innermost one. One stack covers both, so the innermost context always wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagkeeper.authoring.exceptions import DagDefinitionError

if TYPE_CHECKING:
    from dagkeeper.authoring.dag import DAG
    from dagkeeper.authoring.taskgroup import TaskGroup

_active_groups: list[TaskGroup] = []


def push(group: TaskGroup) -> None:
    _active_groups.append(group)


def pop(group: TaskGroup) -> None:
    if not _active_groups or _active_groups[-1] is not group:
        raise RuntimeError("DAG / TaskGroup contexts were exited out of order")
    _active_groups.pop()


def current_group() -> TaskGroup | None:
    return _active_groups[-1] if _active_groups else None


def enclosing_group(dag: DAG | None, what: str, how: str) -> TaskGroup:
    """The group a new task or group joins: the innermost context of ``dag`` (if given).

    ``what`` names the newcomer and ``how`` the arguments that attach it
    explicitly, for the error raised when it is created outside any DAG.
    """
    current = current_group()
    if dag is not None:
        return current if current is not None and current.dag is dag else dag.task_group
    if current is None:
        raise DagDefinitionError(
            f"{what} was created outside a DAG: create it inside `with DAG(...)` or pass {how}"
        )
    return current

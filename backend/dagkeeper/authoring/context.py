"""Which DAG and task group new tasks attach to.

``with DAG(...)`` pushes the DAG's root group and ``with TaskGroup(...)``
pushes the group; a task created without ``dag=``/``task_group=`` joins the
innermost one. One stack covers both, so the innermost context always wins.
While a task runs, the runner makes its context current too
(:func:`get_current_context`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

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


_running: list[tuple[dict[str, Any], Callable[[Any, dict[str, Any]], Any]]] = []


@contextmanager
def running(
    task_context: dict[str, Any], render: Callable[[Any, dict[str, Any]], Any]
) -> Iterator[None]:
    """While a task runs: its context (:func:`get_current_context`) and the runner's renderer.

    Operators that build a template only at run time (``@task.bash``) render
    it with ``render`` through :func:`render_template`, so it sees the same
    macros, filters and search path as the task's template fields.
    """
    _running.append((task_context, render))
    try:
        yield
    finally:
        _running.pop()


def render_template(value: Any, task_context: dict[str, Any]) -> Any:
    """``value`` rendered as the runner renders template fields (unchanged outside a run)."""
    return _running[-1][1](value, task_context) if _running else value


def get_current_context() -> dict[str, Any]:
    """The run-time context of the task running in this process (``ti``, ``ds``, ``params``...)."""
    if not _running:
        raise RuntimeError(
            "get_current_context() was called outside a running task: call it inside "
            "a task's function, not at DAG definition time"
        )
    return _running[-1][0]

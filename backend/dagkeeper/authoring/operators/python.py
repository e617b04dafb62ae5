"""``PythonOperator``: call a Python function.

The callable gets ``op_args`` and ``op_kwargs`` (placeholders such as another
task's result resolved first) plus those run-context entries it asks for by
name, or all of them if it takes ``**kwargs``. Its return value is the task's.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from dagkeeper.authoring.baseoperator import BaseOperator
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.placeholders import resolve_all


class PythonOperator(BaseOperator):
    template_fields = ("op_args", "op_kwargs", "templates_dict")
    ui_color = "#ffefeb"

    def __init__(
        self,
        task_id: str,
        python_callable: Callable[..., Any],
        op_args: list[Any] | tuple[Any, ...] | None = None,
        op_kwargs: dict[str, Any] | None = None,
        templates_dict: dict[str, Any] | None = None,
        **kwargs: Any,
    ):
        super().__init__(task_id=task_id, **kwargs)
        take_callable(self, python_callable, op_args, op_kwargs, templates_dict)

    def execute(self, context: dict[str, Any]) -> Any:
        return call_callable(self, context)


def take_callable(
    task: Any, python_callable: Any, op_args: Any, op_kwargs: Any, templates_dict: Any
) -> None:
    """Check and keep a task's callable and its arguments (PythonOperator, PythonSensor)."""
    if not callable(python_callable):
        raise DagDefinitionError(
            f"python_callable of task {task.task_id!r} must be callable, got {python_callable!r}"
        )
    task.python_callable = python_callable
    task.op_args = list(op_args or [])
    task.op_kwargs = dict(op_kwargs or {})
    task.templates_dict = templates_dict


def call_callable(task: Any, context: dict[str, Any]) -> Any:
    """Call a task's callable with its resolved arguments and the context entries it asks for."""
    args = resolve_all(task.op_args, context)
    kwargs = resolve_all(task.op_kwargs, context)
    context = {**context, "templates_dict": task.templates_dict}
    extra = context_kwargs(task.python_callable, len(args), kwargs, context)
    return task.python_callable(*args, **kwargs, **extra)


def context_kwargs(
    function: Callable[..., Any], n_args: int, kwargs: dict[str, Any], context: dict[str, Any]
) -> dict[str, Any]:
    """The context entries ``function`` accepts and is not already given."""
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):  # some builtins have no signature
        return {}
    filled = set()
    for p in parameters[:n_args]:
        if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            break
        filled.add(p.name)
    if any(p.kind == p.VAR_KEYWORD for p in parameters):
        return {k: v for k, v in context.items() if k not in kwargs and k not in filled}
    accepted = {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return {
        k: v for k, v in context.items() if k in accepted and k not in kwargs and k not in filled
    }

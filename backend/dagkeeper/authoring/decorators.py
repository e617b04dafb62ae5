"""``@task``: turn a plain function into a task factory.

Calling the decorated function inside a DAG creates a task and returns an
``XComArg`` for its result; passing that result to another ``@task`` call makes
the first task upstream of the second. Calling it again in the same DAG (and
group) gives ids ``name``, ``name__1``, ``name__2``, as in Airflow.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from dagkeeper.authoring import context as _context
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.operators.python import PythonOperator
from dagkeeper.authoring.placeholders import find_all
from dagkeeper.authoring.xcom import XComArg


class _PythonDecoratedOperator(PythonOperator):
    """The operator behind each ``@task`` call."""


class _TaskDecorator:
    def __init__(
        self, function: Callable[..., Any], task_id: str | None, operator_kwargs: dict[str, Any]
    ):
        functools.update_wrapper(self, function)
        self.function = function
        self.task_id = task_id or function.__name__
        self.operator_kwargs = operator_kwargs

    def override(self, **kwargs: Any) -> _TaskDecorator:
        """The same task factory with other operator arguments (``task_id=``, ``retries=``...)."""
        task_id = kwargs.pop("task_id", self.task_id)
        return _TaskDecorator(self.function, task_id, {**self.operator_kwargs, **kwargs})

    def __call__(self, *args: Any, **kwargs: Any) -> XComArg:
        kwargs_for_operator = dict(self.operator_kwargs)
        operator = _PythonDecoratedOperator(
            task_id=_unique_label(self.task_id, kwargs_for_operator),
            python_callable=self.function,
            op_args=list(args),
            op_kwargs=kwargs,
            **kwargs_for_operator,
        )
        for placeholder in find_all([args, kwargs]):
            if isinstance(placeholder, XComArg):
                operator.set_upstream(placeholder)
        return XComArg(operator)


def _unique_label(label: str, operator_kwargs: dict[str, Any]) -> str:
    """``label``, or ``label__N`` with the smallest N free in the target group."""
    group = operator_kwargs.get("task_group") or _context.current_group()
    dag = operator_kwargs.get("dag")
    if group is None or (dag is not None and group.dag is not dag):
        group = dag.task_group if dag is not None else None
    if group is None:
        return label  # the operator will raise its "outside a DAG" error
    taken = group.dag.task_dict
    candidate, n = label, 0
    while group.child_id(candidate) in taken:
        n += 1
        candidate = f"{label}__{n}"
    return candidate


def task(
    python_callable: Callable[..., Any] | None = None,
    *,
    task_id: str | None = None,
    **operator_kwargs: Any,
) -> Any:
    """Decorate a function as a task: ``@task`` or ``@task(retries=2, task_id="x")``."""
    if python_callable is None:
        return lambda function: task(function, task_id=task_id, **operator_kwargs)
    if not callable(python_callable):
        raise DagDefinitionError(f"@task decorates a function, got {python_callable!r}")
    return _TaskDecorator(python_callable, task_id, operator_kwargs)

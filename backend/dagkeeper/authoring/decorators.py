"""``@task`` and its kinds: turn a plain function into a task factory.

Calling the decorated function inside a DAG creates a task and returns an
``XComArg`` for its result; passing that result to another ``@task`` call makes
the first task upstream of the second. Calling it again in the same DAG (and
group) gives ids ``name``, ``name__1``, ``name__2``, as in Airflow.

``@task.branch``, ``@task.short_circuit``, ``@task.bash`` (the function
returns the command), ``@task.virtualenv``, ``@task.external_python`` and ``@task.sensor``
(the function is the poke) make the matching operator; ``@setup`` and ``@teardown`` mark the task they make.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any

from dagkeeper.authoring import context as _context
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.mapping import OperatorPartial
from dagkeeper.authoring.operators.bash import BashOperator
from dagkeeper.authoring.operators.branch import BranchPythonOperator, ShortCircuitOperator
from dagkeeper.authoring.operators.python import PythonOperator, context_kwargs
from dagkeeper.authoring.operators.sensors import PythonSensor
from dagkeeper.authoring.operators.virtualenv import (
    ExternalPythonOperator,
    PythonVirtualenvOperator,
)
from dagkeeper.authoring.placeholders import find_all, resolve_all
from dagkeeper.authoring.xcom import XComArg


class _PythonDecoratedOperator(PythonOperator):
    """The operator behind each ``@task`` call."""


class _BranchPythonDecoratedOperator(BranchPythonOperator):
    """The operator behind each ``@task.branch`` call."""


class _ShortCircuitDecoratedOperator(ShortCircuitOperator):
    """The operator behind each ``@task.short_circuit`` call."""


class _PythonVirtualenvDecoratedOperator(PythonVirtualenvOperator):
    """The operator behind each ``@task.virtualenv`` call."""


class _PythonExternalDecoratedOperator(ExternalPythonOperator):
    """The operator behind each ``@task.external_python`` call."""


class _DecoratedSensorOperator(PythonSensor):
    """The operator behind each ``@task.sensor`` call: the function is the poke."""


class _BashDecoratedOperator(BashOperator):
    """The operator behind each ``@task.bash`` call: the function returns the command."""

    template_fields = ("env",)

    def __init__(
        self, *, python_callable: Callable[..., Any], op_args: list[Any], op_kwargs: dict,
        **kwargs: Any,
    ):  # fmt: skip
        super().__init__(bash_command="", **kwargs)
        self.python_callable = python_callable
        self.op_args = op_args
        self.op_kwargs = op_kwargs

    def execute(self, context: dict[str, Any]) -> str | None:
        args = resolve_all(self.op_args, context)
        kwargs = resolve_all(self.op_kwargs, context)
        extra = context_kwargs(self.python_callable, len(args), kwargs, context)
        command = self.python_callable(*args, **kwargs, **extra)
        if not isinstance(command, str) or not command.strip():
            raise DagDefinitionError(
                f"@task.bash function of {self.task_id!r} must return a non-empty command string"
            )
        self.bash_command = _context.render_template(command, context)
        print(f"Running command: {self.bash_command}", flush=True)
        return super().execute(context)


def _returns_dict(function: Callable[..., Any]) -> bool:
    """A function annotated ``-> dict[...]`` pushes each key (the peer's inference)."""
    try:
        annotation = typing.get_type_hints(function).get("return")
    except Exception:  # unresolvable annotations: no inference, as in the peer
        return False
    return annotation is dict or typing.get_origin(annotation) is dict


class _TaskDecorator:
    def __init__(
        self,
        function: Callable[..., Any],
        task_id: str | None,
        operator_kwargs: dict[str, Any],
        operator_class: type[PythonOperator] | type[BashOperator] | type[PythonSensor] = (
            _PythonDecoratedOperator
        ),
        role: str | None = None,
    ):
        functools.update_wrapper(self, function)
        self.function = function
        self.task_id = task_id or function.__name__
        self.operator_kwargs = operator_kwargs
        self.operator_class = operator_class
        self.role = role  # "setup" or "teardown" for @setup / @teardown

    def override(self, **kwargs: Any) -> _TaskDecorator:
        """The same task factory with other operator arguments (``task_id=``, ``retries=``...)."""
        task_id = kwargs.pop("task_id", self.task_id)
        return _TaskDecorator(
            self.function, task_id, {**self.operator_kwargs, **kwargs}, self.operator_class,
            self.role,
        )  # fmt: skip

    def partial(self, **kwargs: Any) -> OperatorPartial:
        """Arguments every map index shares; ``.expand(...)`` names the mapped ones."""
        return OperatorPartial(self, self.task_id, kwargs, function=True)

    def expand(self, **mapped: Any) -> XComArg:
        return self.partial().expand(**mapped)

    def expand_kwargs(self, value: Any) -> XComArg:
        return self.partial().expand_kwargs(value)

    def __call__(self, *args: Any, **kwargs: Any) -> XComArg:
        kwargs_for_operator = dict(self.operator_kwargs)
        on_failure_fail_dagrun = kwargs_for_operator.pop("on_failure_fail_dagrun", False)
        if "multiple_outputs" not in kwargs_for_operator and _returns_dict(self.function):
            kwargs_for_operator["multiple_outputs"] = True
        operator = self.operator_class(
            task_id=_unique_label(self.task_id, kwargs_for_operator),
            python_callable=self.function,
            op_args=list(args),
            op_kwargs=kwargs,
            **kwargs_for_operator,
        )
        if operator.doc_md is None and self.function.__doc__:
            operator.doc_md = inspect.cleandoc(self.function.__doc__)
        for placeholder in find_all([args, kwargs]):
            if isinstance(placeholder, XComArg):
                operator.set_upstream(placeholder)
        if self.role == "setup":
            operator.as_setup()
        elif self.role == "teardown":
            operator.as_teardown(on_failure_fail_dagrun=on_failure_fail_dagrun)
        return XComArg(operator)


def _unique_label(label: str, operator_kwargs: dict[str, Any]) -> str:
    """``label``, or ``label__N`` with the smallest N free in the target group."""
    group = operator_kwargs.get("task_group") or _context.current_group()
    dag = operator_kwargs.get("dag")
    if group is None or (dag is not None and group.dag is not dag):
        group = dag.task_group if dag is not None else None
    if group is None:
        return label  # the operator will raise its "outside a DAG" error
    return group.unique_child_label(label)


def _decorator(operator_class: type, role: str | None = None) -> Callable[..., Any]:
    def decorate(
        python_callable: Callable[..., Any] | None = None,
        *,
        task_id: str | None = None,
        **operator_kwargs: Any,
    ) -> Any:
        if python_callable is None:
            return lambda function: decorate(function, task_id=task_id, **operator_kwargs)
        if isinstance(python_callable, _TaskDecorator):  # @setup over @task
            python_callable = python_callable.function
        if not callable(python_callable):
            raise DagDefinitionError(f"@task decorates a function, got {python_callable!r}")
        return _TaskDecorator(python_callable, task_id, operator_kwargs, operator_class, role)

    return decorate


class _TaskNamespace:
    """``task``: ``@task``, ``@task(...)``, and ``@task.branch``, ``@task.bash``, ..."""

    def __init__(self) -> None:
        self.python = _decorator(_PythonDecoratedOperator)
        self.branch = _decorator(_BranchPythonDecoratedOperator)
        self.short_circuit = _decorator(_ShortCircuitDecoratedOperator)
        self.bash = _decorator(_BashDecoratedOperator)
        self.virtualenv = _decorator(_PythonVirtualenvDecoratedOperator)
        self.external_python = _decorator(_PythonExternalDecoratedOperator)
        self.sensor = _decorator(_DecoratedSensorOperator)

    def __call__(self, python_callable: Callable[..., Any] | None = None, **kwargs: Any) -> Any:
        """Decorate a function as a task: ``@task`` or ``@task(retries=2, task_id="x")``."""
        return self.python(python_callable, **kwargs)


task = _TaskNamespace()
setup = _decorator(_PythonDecoratedOperator, role="setup")
teardown = _decorator(_PythonDecoratedOperator, role="teardown")

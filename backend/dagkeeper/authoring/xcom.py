"""``XComArg``: what calling a ``@task`` function returns.

It is a dependency node (``extract() >> load()``) and a placeholder for one
XCom of a task (its return value unless ``key`` says otherwise): passed to
another task, it makes an upstream edge at definition time and turns into the
pulled value at run time. ``result["total"]`` is the XCom ``total`` that a
``multiple_outputs`` task pushes for each key of its returned dict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dagkeeper.authoring.mapping import NO_FILL, ZipArg
from dagkeeper.authoring.placeholders import Placeholder
from dagkeeper.authoring.relations import DependencyMixin

if TYPE_CHECKING:
    from dagkeeper.authoring.baseoperator import BaseOperator

RETURN_KEY = "return_value"


class XComArg(DependencyMixin, Placeholder):
    def __init__(self, operator: BaseOperator, key: str = RETURN_KEY):
        self.operator = operator
        self.key = key

    @property
    def task_id(self) -> str:
        return self.operator.task_id

    @property
    def roots(self) -> list[BaseOperator]:
        return [self.operator]

    @property
    def leaves(self) -> list[BaseOperator]:
        return [self.operator]

    def __getitem__(self, key: str) -> XComArg:
        return XComArg(self.operator, key=key)

    def zip(self, *others: Any, fillvalue: Any = NO_FILL) -> ZipArg:
        """Pair this value's elements with ``others``' for ``expand`` (shortest wins, or
        the longest with ``fillvalue``)."""
        return ZipArg([self, *others], fillvalue)

    def as_setup(self) -> XComArg:
        self.operator.as_setup()
        return self

    def as_teardown(self, setups: Any = None, on_failure_fail_dagrun: bool = False) -> XComArg:
        self.operator.as_teardown(setups=setups, on_failure_fail_dagrun=on_failure_fail_dagrun)
        return self

    def __enter__(self) -> XComArg:
        self.operator.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.operator.__exit__(*exc)

    def resolve(self, context: dict[str, Any]) -> Any:
        """The upstream task's XCom, via the runner's ``ti.xcom_pull`` (all map indexes' values,
        in order, when that task is mapped)."""
        pull = getattr(context.get("ti"), "xcom_pull", None)
        return pull(task_ids=self.task_id, key=self.key) if pull is not None else None

    def __repr__(self) -> str:
        key = "" if self.key == RETURN_KEY else f", key={self.key!r}"
        return f"XComArg({self.task_id!r}{key})"

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
        ti = context.get("ti")
        pull = getattr(ti, "xcom_pull", None)
        if pull is None:
            return None
        consumer = context.get("task")
        same_group = (
            self.operator.mapped_group is not None
            and getattr(consumer, "mapped_group", None) is self.operator.mapped_group
        )
        if same_group:  # inside a mapped group: the sibling's value of the same map index
            return pull(task_ids=self.task_id, key=self.key, map_indexes=ti.map_index)
        return pull(task_ids=self.task_id, key=self.key)

    def __repr__(self) -> str:
        key = "" if self.key == RETURN_KEY else f", key={self.key!r}"
        return f"XComArg({self.task_id!r}{key})"

"""``XComArg``: what calling a ``@task`` function returns.

It is a dependency node (``extract() >> load()``) and a placeholder for the
task's return value: passed to another task, it makes an upstream edge at
definition time and turns into the pulled value at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dagkeeper.authoring.placeholders import Placeholder
from dagkeeper.authoring.relations import DependencyMixin

if TYPE_CHECKING:
    from dagkeeper.authoring.baseoperator import BaseOperator


class XComArg(DependencyMixin, Placeholder):
    def __init__(self, operator: BaseOperator):
        self.operator = operator

    @property
    def task_id(self) -> str:
        return self.operator.task_id

    @property
    def roots(self) -> list[BaseOperator]:
        return [self.operator]

    @property
    def leaves(self) -> list[BaseOperator]:
        return [self.operator]

    def resolve(self, context: dict[str, Any]) -> Any:
        """The upstream task's return value, via the runner's ``ti.xcom_pull``."""
        pull = getattr(context.get("ti"), "xcom_pull", None)
        return pull(task_ids=self.task_id) if pull is not None else None

    def __repr__(self) -> str:
        return f"XComArg({self.task_id!r})"

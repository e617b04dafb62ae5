"""``>>``, ``<<`` and ``set_upstream``/``set_downstream`` for tasks, groups and XComArgs.

Everything that can take part in a dependency names the tasks an incoming edge
lands on (``roots``) and the tasks an outgoing edge leaves from (``leaves``):
a task is both itself; a group is its first and last tasks; an XComArg is
the task that produces it. A :class:`Label` between two of them names the
edges it sits on: ``branch >> Label("yes") >> task``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dagkeeper.authoring.exceptions import DagDefinitionError

if TYPE_CHECKING:
    from dagkeeper.authoring.baseoperator import BaseOperator


class DependencyMixin:
    @property
    def roots(self) -> list[BaseOperator]:
        raise NotImplementedError

    @property
    def leaves(self) -> list[BaseOperator]:
        raise NotImplementedError

    def set_downstream(self, other: Any, edge_modifier: Label | None = None) -> None:
        for node in _nodes(other):
            if isinstance(node, Label):
                node.upstream.extend(self.leaves)
                continue
            for up in self.leaves:
                for down in node.roots:
                    _link(up, down, edge_modifier)

    def set_upstream(self, other: Any, edge_modifier: Label | None = None) -> None:
        for node in _nodes(other):
            for up in node.leaves:
                for down in self.roots:
                    _link(up, down, edge_modifier)

    def __rshift__(self, other: Any) -> Any:
        self.set_downstream(other)
        return other

    def __lshift__(self, other: Any) -> Any:
        self.set_upstream(other)
        return other

    def __rrshift__(self, other: Any) -> Any:
        """``[a, b] >> self``."""
        self.set_upstream(other)
        return self

    def __rlshift__(self, other: Any) -> Any:
        """``[a, b] << self``."""
        self.set_downstream(other)
        return self


def _nodes(other: Any) -> list[DependencyMixin]:
    items = list(other) if isinstance(other, list | tuple) else [other]
    for item in items:
        if not isinstance(item, DependencyMixin):
            raise TypeError(
                f"Cannot set a dependency on {item!r}: expected a task, a task group, "
                "the result of a @task call, or a list of them"
            )
    return items


class Label(DependencyMixin):
    """A name for the edges it is placed on; drawn on them in the graph view.

    ``a >> Label("x") >> b`` links a to b and labels that edge; lists work on
    either side. ``a.set_downstream(b, edge_modifier=Label("x"))`` does the same.
    """

    def __init__(self, label: str):
        if not isinstance(label, str) or not label:
            raise DagDefinitionError(f"Label needs a non-empty string, got {label!r}")
        self.label = label
        self.upstream: list[BaseOperator] = []

    @property
    def roots(self) -> list[BaseOperator]:
        raise DagDefinitionError(f"Label({self.label!r}) must sit between two tasks")

    @property
    def leaves(self) -> list[BaseOperator]:
        return self.upstream

    def set_downstream(self, other: Any, edge_modifier: Label | None = None) -> None:
        if not self.upstream:
            raise DagDefinitionError(f"Label({self.label!r}) must sit between two tasks")
        super().set_downstream(other, edge_modifier or self)

    def set_upstream(self, other: Any, edge_modifier: Label | None = None) -> None:
        for node in _nodes(other):
            self.upstream.extend(node.leaves)

    def __repr__(self) -> str:
        return f"Label({self.label!r})"


def _link(up: BaseOperator, down: BaseOperator, label: Label | None = None) -> None:
    if up.dag is not down.dag:
        raise DagDefinitionError(
            f"Tasks {up.task_id!r} (DAG {up.dag.dag_id!r}) and {down.task_id!r} "
            f"(DAG {down.dag.dag_id!r}) belong to different DAGs"
        )
    up._downstream_ids.add(down.task_id)
    down._upstream_ids.add(up.task_id)
    if label is not None:
        up.dag.edge_labels[(up.task_id, down.task_id)] = label.label

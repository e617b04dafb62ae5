"""Task groups: a named, nestable box of tasks that prefixes their ids.

A task ``load`` in group ``etl`` inside group ``daily`` is ``daily.etl.load``;
the group itself is ``daily.etl``. Groups are folders for the UI and a short
way to write dependencies: ``group >> x`` links the group's last tasks to x.
Each DAG has an unnamed root group that holds everything else.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dagkeeper.authoring import context
from dagkeeper.authoring.naming import check_full_id, check_label
from dagkeeper.authoring.relations import DependencyMixin

if TYPE_CHECKING:
    from dagkeeper.authoring.baseoperator import BaseOperator
    from dagkeeper.authoring.dag import DAG


class TaskGroup(DependencyMixin):
    """Groups the tasks created inside ``with TaskGroup("name"):``.

    ``prefix_group_id=False`` leaves the ids of this group's children
    unprefixed (the group's own id still carries its parents' prefix).
    """

    def __init__(
        self,
        group_id: str,
        tooltip: str | None = None,
        ui_color: str = "CornflowerBlue",
        ui_fgcolor: str = "#000",
        prefix_group_id: bool = True,
        parent_group: TaskGroup | None = None,
        dag: DAG | None = None,
    ):
        self.label = check_label("group_id", group_id)
        parent = parent_group or context.enclosing_group(
            dag, f"TaskGroup {group_id!r}", "dag= or parent_group="
        )
        self.parent_group: TaskGroup | None = parent
        self.dag: DAG = parent.dag
        self.group_id: str | None = check_full_id("group_id", parent.child_id(group_id))
        self.tooltip = tooltip
        self.ui_color = ui_color
        self.ui_fgcolor = ui_fgcolor
        self.prefix_group_id = prefix_group_id
        self.children: dict[str, BaseOperator | TaskGroup] = {}
        self.dag.add_group(self)
        parent.children[self.group_id] = self

    @classmethod
    def root(cls, dag: DAG) -> TaskGroup:
        """The unnamed group at the top of ``dag``; it adds no prefix."""
        group = cls.__new__(cls)
        group.label = ""
        group.parent_group = None
        group.dag = dag
        group.group_id = None
        group.tooltip = None
        group.ui_color = "CornflowerBlue"
        group.ui_fgcolor = "#000"
        group.prefix_group_id = True
        group.children = {}
        return group

    def child_id(self, label: str) -> str:
        if self.group_id is None or not self.prefix_group_id:
            return label
        return f"{self.group_id}.{label}"

    def unique_child_label(self, label: str) -> str:
        """``label``, or ``label__N`` with the smallest N whose id is free in the DAG."""
        taken = self.dag.task_dict.keys() | self.dag.task_group_dict.keys()
        candidate, n = label, 0
        while self.child_id(candidate) in taken:
            n += 1
            candidate = f"{label}__{n}"
        return candidate

    def iter_tasks(self) -> list[BaseOperator]:
        """Every task in this group and its sub-groups."""
        tasks: list[BaseOperator] = []
        for child in self.children.values():
            if isinstance(child, TaskGroup):
                tasks.extend(child.iter_tasks())
            else:
                tasks.append(child)
        return tasks

    @property
    def roots(self) -> list[BaseOperator]:
        """The group's tasks with no upstream task inside the group."""
        tasks = self.iter_tasks()
        ids = {t.task_id for t in tasks}
        return [t for t in tasks if not t.upstream_task_ids & ids]

    @property
    def leaves(self) -> list[BaseOperator]:
        """The group's tasks with no downstream task inside the group."""
        tasks = self.iter_tasks()
        ids = {t.task_id for t in tasks}
        return [t for t in tasks if not t.downstream_task_ids & ids]

    def __enter__(self) -> TaskGroup:
        context.push(self)
        return self

    def __exit__(self, *exc: object) -> None:
        context.pop(self)

    def __repr__(self) -> str:
        return f"<TaskGroup: {self.group_id}>"


class _TaskGroupFactory:
    """What ``@task_group`` returns: each call builds one more group from the function."""

    def __init__(
        self, function: Callable[..., Any], group_id: str | None, group_kwargs: dict[str, Any]
    ):
        functools.update_wrapper(self, function)
        self.function = function
        self.group_id = group_id or function.__name__
        self.group_kwargs = group_kwargs

    def override(self, **kwargs: Any) -> _TaskGroupFactory:
        """The same factory with other ``TaskGroup`` arguments (``group_id=``, ``tooltip=``...)."""
        group_id = kwargs.pop("group_id", self.group_id)
        return _TaskGroupFactory(self.function, group_id, {**self.group_kwargs, **kwargs})

    def partial(self, **kwargs: Any) -> _GroupPartial:
        """Arguments every map index of a mapped group shares; ``.expand(...)`` names the others."""
        return _GroupPartial(self, kwargs)

    def expand(self, **mapped: Any) -> Any:
        return self.partial().expand(**mapped)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """A new group holding what the function creates.

        Returns what the function returns (so ``start >> group(x)`` binds to
        its result, as in the peer), or the group when it returns nothing.
        """
        group, result = self.build(*args, **kwargs)
        return group if result is None else result

    def build(self, *args: Any, **kwargs: Any) -> tuple[TaskGroup, Any]:
        """The new group and what the function returned."""
        arguments = dict(self.group_kwargs)
        if self.function.__doc__:
            arguments.setdefault("tooltip", self.function.__doc__.strip())
        parent = arguments.get("parent_group") or context.enclosing_group(
            arguments.get("dag"), f"Task group {self.group_id!r}", "dag="
        )
        arguments["parent_group"] = parent
        with TaskGroup(parent.unique_child_label(self.group_id), **arguments) as group:
            result = self.function(*args, **kwargs)
        return group, result


class _GroupPartial:
    """A mapped task group: every task the function creates is mapped the same way.

    Map index ``i`` of each task sees element ``i`` of the mapped arguments, and
    an XCom of another task of the group is that task's map index ``i`` (as in
    Airflow). Inside the group, map index ``i`` of a task waits only for map
    index ``i`` of the group's tasks it depends on; a task outside the group
    waits for every map index.
    """

    def __init__(self, factory: _TaskGroupFactory, kwargs: dict[str, Any]):
        self.factory = factory
        self.kwargs = kwargs

    def expand(self, **mapped: Any) -> Any:
        from dagkeeper.authoring.mapping import (
            ExpandInput,
            MappedValue,
            check_mapped_names,
            mark_mapped,
        )

        check_mapped_names(self.factory.group_id, list(mapped), self.kwargs)
        dag = context.enclosing_group(
            self.factory.group_kwargs.get("dag"), f"Task group {self.factory.group_id!r}", "dag="
        ).dag
        before = set(dag.task_dict)
        group, result = self.factory.build(
            **self.kwargs, **{name: MappedValue(name) for name in mapped}
        )
        expand_input = ExpandInput("dict", arguments=mapped)
        for task_id, task in list(dag.task_dict.items()):
            if task_id not in before:
                task.mapped_group = expand_input
                task.mapped_group_id = group.group_id
                mark_mapped(task, expand_input)
        return result


def task_group(
    python_callable: Callable[..., Any] | None = None, *, group_id: str | None = None, **kwargs: Any
) -> Any:
    """Decorate a function whose calls each build a task group: ``@task_group`` or ``(...)``.

    The group id defaults to the function's name (``name__1`` on the next
    call in the same parent), its tooltip to the docstring; ``kwargs`` are
    ``TaskGroup`` arguments.
    """
    if python_callable is None:
        return lambda function: task_group(function, group_id=group_id, **kwargs)
    return _TaskGroupFactory(python_callable, group_id, kwargs)

"""Task groups: a named, nestable box of tasks that prefixes their ids.

A task ``load`` in group ``etl`` inside group ``daily`` is ``daily.etl.load``;
the group itself is ``daily.etl``. Groups are folders for the UI and a short
way to write dependencies: ``group >> x`` links the group's last tasks to x.
Each DAG has an unnamed root group that holds everything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

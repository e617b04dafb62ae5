"""The UI structure document, pre-built once per version at publication.

Nodes come in *tree order*: inside each task group, children (tasks and
sub-groups) are ordered by their depth in the DAG (longest path from a root),
then by id, so the grid reads top-down in execution order and the order is
the same in every process. Edges name task ids.
"""

from __future__ import annotations

from typing import Any

from dagkeeper.serialization.document import DagDocument, TaskDoc
from dagkeeper.serialization.graph import depth_of_tasks


def _role(task: TaskDoc) -> str | None:
    """``setup`` or ``teardown`` for the tasks the graph and grid draw apart."""
    if task.is_setup:
        return "setup"
    return "teardown" if task.is_teardown else None


def build_structure(doc: DagDocument) -> dict[str, Any]:
    """The structure the UI reads, from a parsed document (stored as canonical bytes)."""
    tasks = doc.tasks
    groups = doc.task_groups.values()
    depth = depth_of_tasks(tasks, doc.edges)

    children: dict[str | None, list[tuple[str, str]]] = {None: []}
    for group in groups:
        children.setdefault(group.group_id, [])
    for group in groups:
        children[group.parent].append(("group", group.group_id))
    for task in tasks.values():
        children[task.group].append(("task", task.task_id))

    group_depth: dict[str, int] = {}

    def rank(kind: str, ident: str) -> int:
        if kind == "task":
            return depth[ident]
        if ident not in group_depth:
            ranks = [rank(k, i) for k, i in children[ident]]
            group_depth[ident] = min(ranks) if ranks else 0
        return group_depth[ident]

    for members in children.values():
        members.sort(key=lambda m: (rank(*m), m[1], m[0]))

    nodes: list[dict[str, Any]] = []

    def walk(parent: str | None) -> None:
        for kind, ident in children[parent]:
            if kind == "group":
                walk(ident)
                continue
            task = tasks[ident]
            nodes.append(
                {
                    "id": ident,
                    "label": task.display_name or task.label,
                    "operator": task.operator,
                    "group": task.group,
                    "trigger_rule": task.trigger_rule,
                    "ui_color": task.ui_color,
                    "ui_fgcolor": task.ui_fgcolor,
                    "role": _role(task),
                    **({"is_mapped": True} if task.is_mapped else {}),
                }
            )

    walk(None)
    return {
        "dag_id": doc.dag_id,
        "nodes": nodes,
        "groups": [
            {
                "id": g.group_id,
                "label": g.label,
                "parent": g.parent,
                "tooltip": g.tooltip,
                "ui_color": g.ui_color,
                "ui_fgcolor": g.ui_fgcolor,
                "children": [{"type": k, "id": i} for k, i in children[g.group_id]],
            }
            for g in groups
        ],
        "roots": [{"type": k, "id": i} for k, i in children[None]],
        "edges": [list(e) for e in doc.edges],
        "edge_labels": [[u, d, label] for (u, d), label in sorted(doc.edge_labels.items())],
    }

"""The UI structure document, pre-built once per version at publication.

Nodes come in *tree order*: inside each task group, children (tasks and
sub-groups) are ordered by their depth in the DAG (longest path from a root),
then by id, so the grid reads top-down in execution order and the order is
the same in every process. Edges name task ids.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any

from dagkeeper.serialization.document import canonical_bytes


def depth_of_tasks(task_ids: list[str], edges: list[list[str]]) -> dict[str, int]:
    """Longest-path depth of each task from the DAG's roots (Kahn's algorithm)."""
    downstream: dict[str, list[str]] = {t: [] for t in task_ids}
    indegree = dict.fromkeys(task_ids, 0)
    for up, down in edges:
        downstream[up].append(down)
        indegree[down] += 1
    depth = dict.fromkeys(task_ids, 0)
    ready = deque(sorted(t for t, n in indegree.items() if n == 0))
    while ready:
        task = ready.popleft()
        for child in downstream[task]:
            depth[child] = max(depth[child], depth[task] + 1)
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    return depth


def _role(task: dict[str, Any]) -> str | None:
    """``setup`` or ``teardown`` for the tasks the graph and grid draw apart."""
    if task.get("is_setup"):
        return "setup"
    return "teardown" if task.get("is_teardown") else None


def build_structure(document: bytes) -> bytes:
    """Turn canonical document bytes into the canonical structure bytes the UI reads."""
    doc = json.loads(document)
    tasks = doc["tasks"]
    groups = doc["task_groups"]
    depth = depth_of_tasks([t["task_id"] for t in tasks], doc["edges"])

    children: dict[str | None, list[tuple[str, str]]] = {None: []}
    for group in groups:
        children.setdefault(group["group_id"], [])
    for group in groups:
        children[group["parent"]].append(("group", group["group_id"]))
    for task in tasks:
        children[task["group"]].append(("task", task["task_id"]))

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

    task_by_id = {t["task_id"]: t for t in tasks}
    nodes: list[dict[str, Any]] = []

    def walk(parent: str | None) -> None:
        for kind, ident in children[parent]:
            if kind == "group":
                walk(ident)
                continue
            task = task_by_id[ident]
            nodes.append(
                {
                    "id": ident,
                    "label": task.get("display_name") or task["label"],
                    "operator": task["operator"],
                    "group": task["group"],
                    "trigger_rule": task["trigger_rule"],
                    "ui_color": task["ui_color"],
                    "ui_fgcolor": task["ui_fgcolor"],
                    "role": _role(task),
                }
            )

    walk(None)
    return canonical_bytes(
        {
            "dag_id": doc["dag_id"],
            "nodes": nodes,
            "groups": [
                {
                    "id": g["group_id"],
                    "label": g["label"],
                    "parent": g["parent"],
                    "tooltip": g["tooltip"],
                    "ui_color": g["ui_color"],
                    "ui_fgcolor": g["ui_fgcolor"],
                    "children": [{"type": k, "id": i} for k, i in children[g["group_id"]]],
                }
                for g in groups
            ],
            "roots": [{"type": k, "id": i} for k, i in children[None]],
            "edges": doc["edges"],
            "edge_labels": doc.get("edge_labels", []),
        }
    )

"""What changed between two stored documents of one DAG, read from the documents alone.

The answer to "what did this deploy change?": tasks added, removed and changed
(naming the attributes that differ, a move between task groups included) and
edges added and removed. It works on :class:`DagDocument` so the web server
computes it without importing any DAG code.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from dagkeeper.serialization.document import DagDocument, TaskDoc

TASK_FIELDS = tuple(f.name for f in fields(TaskDoc) if f.name != "task_id")
DAG_FIELDS = (
    "description", "doc_md", "schedule", "timezone", "start_date", "end_date", "catchup",
    "max_active_runs", "max_active_tasks", "owners", "tags", "params", "default_args",
    "task_groups",
)  # fmt: skip


def structure_diff(old: DagDocument, new: DagDocument) -> dict[str, Any]:
    """Tasks and edges ``new`` added, removed or changed relative to ``old``; sorted, stable."""
    changed = []
    for task_id in sorted(old.tasks.keys() & new.tasks.keys()):
        before, after = old.tasks[task_id], new.tasks[task_id]
        differing = [name for name in TASK_FIELDS if getattr(before, name) != getattr(after, name)]
        if differing:
            changed.append({"task_id": task_id, "fields": differing})
    old_edges, new_edges = set(old.edges), set(new.edges)
    return {
        "tasks": {
            "added": sorted(new.tasks.keys() - old.tasks.keys()),
            "removed": sorted(old.tasks.keys() - new.tasks.keys()),
            "changed": changed,
        },
        "edges": {
            "added": [list(edge) for edge in sorted(new_edges - old_edges)],
            "removed": [list(edge) for edge in sorted(old_edges - new_edges)],
        },
        "dag_fields": [name for name in DAG_FIELDS if getattr(old, name) != getattr(new, name)],
    }

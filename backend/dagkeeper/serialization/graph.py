"""Task-graph facts derived from a document's edges: neighbours, depth, a run order.

Computed once when a version is published and stored with it, so readers of
stored versions never rebuild them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Relations:
    """Upstream and downstream task ids of every task, and an order to consider them in."""

    upstream: dict[str, list[str]]
    downstream: dict[str, list[str]]
    run_order: list[str]  # every task after all of its upstream tasks

    def as_json(self) -> dict[str, object]:
        return {
            "upstream": self.upstream,
            "downstream": self.downstream,
            "run_order": self.run_order,
        }


def depth_of_tasks(task_ids: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Longest-path depth of each task from the DAG's roots (Kahn's algorithm)."""
    downstream: dict[str, list[str]] = {t: [] for t in task_ids}
    indegree = dict.fromkeys(downstream, 0)
    for up, down in edges:
        downstream[up].append(down)
        indegree[down] += 1
    depth = dict.fromkeys(downstream, 0)
    ready = deque(sorted(t for t, n in indegree.items() if n == 0))
    while ready:
        task = ready.popleft()
        for child in downstream[task]:
            depth[child] = max(depth[child], depth[task] + 1)
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    return depth


def relations_of(task_ids: list[str], edges: list[tuple[str, str]]) -> Relations:
    upstream: dict[str, list[str]] = {t: [] for t in task_ids}
    downstream: dict[str, list[str]] = {t: [] for t in task_ids}
    for up, down in edges:
        upstream[down].append(up)
        downstream[up].append(down)
    depth = depth_of_tasks(task_ids, edges)
    return Relations(upstream, downstream, sorted(task_ids, key=lambda t: (depth[t], t)))

"""Parsed DAG documents, cached by ``dag_version`` id.

Versions are immutable (DESIGN.md invariant 5), so a cached entry can never
be stale; the cache is bounded so a long-lived scheduler stays small. The run
order and relations come as stored at publication; each entry adds what the
scheduler derives from them on every pass (the leaves that decide a run's
state, the setup tasks upstream of each task and each task's effective
priority weight), computed once.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from dagkeeper.models.queries import document_of
from dagkeeper.serialization import DagDocument


@dataclass(frozen=True)
class CachedVersion:
    document: DagDocument
    order: tuple[str, ...]  # every task after all of its upstream tasks
    leaves: frozenset[str]  # the tasks whose states decide the run's state
    setups: dict[str, tuple[str, ...]]  # task -> its direct upstream setup tasks
    weights: dict[str, int]  # task -> effective priority weight (higher runs first)


def run_leaves(document: DagDocument) -> frozenset[str]:
    """The tasks that decide a run's state: the last tasks, teardowns aside.

    A teardown does not decide the run's state (unless it has
    ``on_failure_fail_dagrun``): the tasks before it do, as in the peer.
    """
    tasks = document.tasks
    ignored = {t for t, doc in tasks.items() if doc.is_teardown and not doc.on_failure_fail_dagrun}
    teardowns = {t for t, doc in tasks.items() if doc.is_teardown}
    return frozenset(
        t
        for t, down in document.downstream.items()
        if t not in ignored and not set(down) - teardowns
    )


def effective_weights(document: DagDocument, order: tuple[str, ...]) -> dict[str, int]:
    """Priority weight of each task summed by its weight rule, as the peer does.

    ``downstream`` adds the weights of every task after it, ``upstream`` of
    every task before it, ``absolute`` nothing. Reachable sets are bit masks
    (one int per task), so a DAG of thousands of tasks stays cheap.
    """
    index = {t: i for i, t in enumerate(order)}
    weight_of = [document.tasks[t].priority_weight for t in order]

    def reach(neighbours: dict[str, list[str]], sequence: tuple[str, ...]) -> dict[str, int]:
        masks: dict[str, int] = {}
        for t in sequence:
            mask = 0
            for n in neighbours[t]:
                mask |= masks[n] | (1 << index[n])
            masks[t] = mask
        return masks

    # Most weights are 1: count bits, then add the excess of the few heavier tasks.
    heavier = [(1 << i, w - 1) for i, w in enumerate(weight_of) if w != 1]

    def total(mask: int) -> int:
        return mask.bit_count() + sum(excess for bit, excess in heavier if mask & bit)

    rules = {doc.weight_rule for doc in document.tasks.values()}
    below = reach(document.downstream, order[::-1]) if "downstream" in rules else {}
    above = reach(document.upstream, order) if "upstream" in rules else {}
    weights = {}
    for t, doc in document.tasks.items():
        extra = {"downstream": below, "upstream": above}.get(doc.weight_rule)
        weights[t] = doc.priority_weight + (total(extra[t]) if extra is not None else 0)
    return weights


def _derive(document: DagDocument) -> CachedVersion:
    order = tuple(document.relations.run_order)
    return CachedVersion(
        document=document,
        order=order,
        leaves=run_leaves(document),
        setups={
            t: tuple(u for u in up if document.tasks[u].is_setup)
            for t, up in document.upstream.items()
        },
        weights=effective_weights(document, order),
    )


class DocumentCache:
    def __init__(self, size: int = 256):
        self.size = size
        self._versions: OrderedDict[int, CachedVersion] = OrderedDict()

    def get(self, session: Session, version_id: int) -> CachedVersion:
        cached = self._versions.get(version_id)
        if cached is not None:
            self._versions.move_to_end(version_id)
            return cached
        document = document_of(session, version_id)
        if document is None:
            raise LookupError(f"dag_version {version_id} does not exist")
        cached = self._versions[version_id] = _derive(document)
        if len(self._versions) > self.size:
            self._versions.popitem(last=False)
        return cached

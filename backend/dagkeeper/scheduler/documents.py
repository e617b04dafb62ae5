"""Parsed DAG documents, cached by ``dag_version`` id.

Versions are immutable (DESIGN.md invariant 5), so a cached entry can never
be stale; the cache is bounded so a long-lived scheduler stays small. Each
entry also holds what the scheduler derives from the document on every pass
(a topological order and the leaves), computed once.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dagkeeper.models import DagVersion
from dagkeeper.serialization import DagDocument, loads
from dagkeeper.serialization.structure import depth_of_tasks


@dataclass(frozen=True)
class CachedVersion:
    document: DagDocument
    order: tuple[str, ...]  # every task after all of its upstream tasks
    leaves: frozenset[str]


def _derive(document: DagDocument) -> CachedVersion:
    depth = depth_of_tasks(list(document.tasks), [list(e) for e in document.edges])
    return CachedVersion(
        document=document,
        order=tuple(sorted(document.tasks, key=lambda t: (depth[t], t))),
        leaves=frozenset(t for t, down in document.downstream.items() if not down),
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
        text = session.scalar(select(DagVersion.document).where(DagVersion.id == version_id))
        if text is None:
            raise LookupError(f"dag_version {version_id} does not exist")
        cached = self._versions[version_id] = _derive(loads(text, validate=False))
        if len(self._versions) > self.size:
            self._versions.popitem(last=False)
        return cached

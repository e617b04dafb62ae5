"""Parsed DAG documents, cached by ``dag_version`` id.

Versions are immutable (DESIGN.md invariant 5), so a cached entry can never
be stale; the cache is bounded so a long-lived scheduler stays small. The run
order and relations come as stored at publication; each entry adds the
leaves, which decide a finished run's state.
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
    leaves: frozenset[str]


def _derive(document: DagDocument) -> CachedVersion:
    return CachedVersion(
        document=document,
        order=tuple(document.relations.run_order),
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
        document = document_of(session, version_id)
        if document is None:
            raise LookupError(f"dag_version {version_id} does not exist")
        cached = self._versions[version_id] = _derive(document)
        if len(self._versions) > self.size:
            self._versions.popitem(last=False)
        return cached

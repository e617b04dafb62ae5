"""What a publication derives from a document, once, to store next to it.

The UI structure, the grid's task order (tree order) and the task relations
are computed when a version is published and stored on its ``dag_version``
row; the API and the scheduler read them as stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from dagkeeper.serialization.document import DagDocument, canonical_bytes
from dagkeeper.serialization.structure import build_structure


@dataclass(frozen=True)
class Derived:
    structure: bytes  # the /ui/structure document
    task_order: bytes  # task ids in tree order: the grid's rows
    relations: bytes  # upstream, downstream and run order; read back by ``loads``


def derive(document: DagDocument) -> Derived:
    structure = build_structure(document)
    return Derived(
        structure=canonical_bytes(structure),
        task_order=canonical_bytes([node["id"] for node in structure["nodes"]]),
        relations=canonical_bytes(document.relations.as_json()),
    )

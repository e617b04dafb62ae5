"""DAG <-> canonical JSON document: format version, schemas, bytes and hash.

Depends on the standard library and marshmallow only, so every process --
the web server included -- can read documents without importing user code.
"""

from dagkeeper.serialization.document import (
    DagDocument,
    DocumentError,
    GroupDoc,
    TaskDoc,
    digest,
    dumps,
    jsonable,
    loads,
)
from dagkeeper.serialization.schemas import FORMAT, TRIGGER_RULES, TriggerRule, WeightRule
from dagkeeper.serialization.structure import build_structure

__all__ = [
    "FORMAT", "TRIGGER_RULES", "DagDocument", "DocumentError", "GroupDoc", "TaskDoc",
    "TriggerRule", "WeightRule", "build_structure", "digest", "dumps", "jsonable", "loads",
]  # fmt: skip

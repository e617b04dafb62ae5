"""DAG <-> canonical JSON document: format version, schemas, bytes and hash.

Depends on the standard library and marshmallow only, so every process --
the web server included -- can read documents without importing user code.
"""

from dagkeeper.serialization.derived import Derived, derive
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
from dagkeeper.serialization.graph import Relations
from dagkeeper.serialization.schemas import FORMAT, TRIGGER_RULES, TriggerRule, WeightRule
from dagkeeper.serialization.structure import build_structure

__all__ = [
    "FORMAT", "TRIGGER_RULES", "DagDocument", "Derived", "DocumentError", "GroupDoc",
    "Relations", "TaskDoc", "TriggerRule", "WeightRule", "build_structure", "derive", "digest", "dumps", "jsonable", "loads",
]  # fmt: skip

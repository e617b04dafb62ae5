"""The canonical DAG document: ``dumps``, ``loads`` and ``digest``.

Same DAG, same bytes: keys sorted, lists that have no meaningful order sorted,
whole floats written as ints, and no process-dependent values (a value that is
not JSON is stored as a short ``repr`` with memory addresses removed). The
SHA-256 of the bytes is the version hash.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dagkeeper.serialization.schemas import FORMAT, DagDocumentSchema

_SCHEMA = DagDocumentSchema()
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
REPR_LIMIT = 200


def jsonable(value: Any) -> Any:
    """Turn a Python value into JSON data; what is not JSON becomes a short repr."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, datetime):
        return value.isoformat()
    if callable(value) and hasattr(value, "__qualname__"):
        return f"<callable {getattr(value, '__module__', '?')}.{value.__qualname__}>"
    text = _ADDRESS.sub("", repr(value))
    return text if len(text) <= REPR_LIMIT else text[: REPR_LIMIT - 3] + "..."


def canonical_bytes(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def normalise(doc: dict[str, Any]) -> dict[str, Any]:
    """Sort the lists whose order carries no meaning, so definition order cannot leak in."""
    doc = dict(doc)
    doc["owners"] = sorted(set(doc["owners"]))
    doc["tags"] = sorted(set(doc["tags"]))
    doc["tasks"] = sorted(doc["tasks"], key=lambda t: t["task_id"])
    doc["task_groups"] = sorted(doc["task_groups"], key=lambda g: g["group_id"])
    doc["edges"] = sorted({(u, d) for u, d in doc["edges"]})
    doc["edges"] = [list(e) for e in doc["edges"]]
    return jsonable(doc)


class DocumentError(ValueError):
    """A document failed validation; ``messages`` names the fields."""

    def __init__(self, messages: dict[str, Any]):
        super().__init__(f"invalid DAG document: {messages}")
        self.messages = messages


def dumps(doc: dict[str, Any]) -> bytes:
    """Validate a document dict and return its canonical bytes."""
    doc = normalise({"format": FORMAT, **doc})
    errors = _SCHEMA.validate(doc)
    if errors:
        raise DocumentError(errors)
    return canonical_bytes(doc)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class TaskDoc:
    task_id: str
    label: str
    operator: str
    group: str | None
    retries: int
    retry_delay: float
    trigger_rule: str
    execution_timeout: float | None
    owner: str
    doc_md: str | None
    template_fields: list[str]
    template_values: dict[str, Any]
    ui_color: str
    ui_fgcolor: str
    queue: str | None = None  # None: the deployment's default queue


@dataclass(frozen=True)
class GroupDoc:
    group_id: str
    label: str
    parent: str | None
    tooltip: str | None
    ui_color: str
    ui_fgcolor: str


@dataclass(frozen=True)
class DagDocument:
    """A stored DAG, as plain typed data: what the scheduler and the API read."""

    dag_id: str
    description: str | None
    doc_md: str | None
    schedule: dict[str, Any]
    timezone: str
    start_date: datetime | None
    end_date: datetime | None
    catchup: bool
    max_active_runs: int
    max_active_tasks: int
    owners: list[str]
    tags: list[str]
    params: dict[str, dict[str, Any]]
    default_args: dict[str, Any]
    tasks: dict[str, TaskDoc]
    task_groups: dict[str, GroupDoc]
    edges: list[tuple[str, str]]
    upstream: dict[str, list[str]] = field(repr=False, default_factory=dict)
    downstream: dict[str, list[str]] = field(repr=False, default_factory=dict)


def _date(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def loads(data: bytes | str, *, validate: bool = True) -> DagDocument:
    """Parse stored bytes back into a :class:`DagDocument`.

    Documents were validated on their way into the database; readers of stored
    rows may pass ``validate=False`` to skip the second check on hot paths.
    """
    raw = json.loads(data)
    errors = _SCHEMA.validate(raw) if validate else None
    if errors:
        raise DocumentError(errors)
    edges = [(u, d) for u, d in raw["edges"]]
    upstream: dict[str, list[str]] = {t["task_id"]: [] for t in raw["tasks"]}
    downstream: dict[str, list[str]] = {t["task_id"]: [] for t in raw["tasks"]}
    for up, down in edges:
        upstream[down].append(up)
        downstream[up].append(down)
    return DagDocument(
        dag_id=raw["dag_id"],
        description=raw["description"],
        doc_md=raw["doc_md"],
        schedule=raw["schedule"],
        timezone=raw["timezone"],
        start_date=_date(raw["start_date"]),
        end_date=_date(raw["end_date"]),
        catchup=raw["catchup"],
        max_active_runs=raw["max_active_runs"],
        max_active_tasks=raw["max_active_tasks"],
        owners=raw["owners"],
        tags=raw["tags"],
        params=raw["params"],
        default_args=raw["default_args"],
        tasks={t["task_id"]: TaskDoc(**t) for t in raw["tasks"]},
        task_groups={g["group_id"]: GroupDoc(**g) for g in raw["task_groups"]},
        edges=edges,
        upstream=upstream,
        downstream=downstream,
    )

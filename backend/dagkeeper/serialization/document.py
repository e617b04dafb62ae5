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

from dagkeeper.serialization.graph import Relations, relations_of
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
    if "edge_labels" in doc:
        doc["edge_labels"] = sorted([list(e) for e in doc["edge_labels"]])
    normalised: dict[str, Any] = jsonable(doc)
    return normalised


class DocumentError(ValueError):
    """A document failed validation; ``messages`` names the fields."""

    def __init__(self, messages: dict[str, Any]):
        super().__init__(f"invalid DAG document: {messages}")
        self.messages = messages


def dumps(doc: dict[str, Any], *, validate: bool = True) -> bytes:
    """Validate a document dict and return its canonical bytes.

    ``validate=False`` is for the parse child: the processor validates every new
    version it receives (:mod:`dagkeeper.processor.publish`), and must, since the
    child's code ran beside the DAG file's; checking twice cost a child more than
    importing the file.
    """
    doc = normalise({"format": FORMAT, **doc})
    errors = _SCHEMA.validate(doc) if validate else None
    if errors:
        raise DocumentError(errors)
    return canonical_bytes(doc)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


MAX_BACKOFF = 86400.0  # the peer's cap on an exponential retry delay when none is set


def retry_delay_after(base: float, exponential: bool, cap: float | None, try_number: int) -> float:
    """Seconds before the next try after try ``try_number`` failed.

    With exponential backoff the delay doubles each try, up to ``cap``
    (``max_retry_delay``, one day when unset). The runner and the scheduler's
    heartbeat check both use this, so a try ends the same way whoever ends it.
    """
    if not exponential:
        return base
    return float(min(base * 2 ** max(try_number - 1, 0), cap or MAX_BACKOFF))


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
    display_name: str | None = None
    depends_on_past: bool = False
    wait_for_downstream: bool = False
    priority_weight: int = 1
    weight_rule: str = "downstream"
    pool: str = "default_pool"
    pool_slots: int = 1
    queue: str | None = None  # None: the deployment's default queue
    executor_config: dict[str, Any] = field(default_factory=dict)
    do_xcom_push: bool = True
    multiple_outputs: bool = False
    retry_exponential_backoff: bool = False
    max_retry_delay: float | None = None
    is_setup: bool = False
    is_teardown: bool = False
    on_failure_fail_dagrun: bool = False
    inlets: list[dict[str, Any]] = field(default_factory=list)  # asset references
    outlets: list[dict[str, Any]] = field(default_factory=list)
    expand: dict[str, Any] | None = None  # a mapped task's sources (``schemas.ExpandSchema``)
    mapped_group: str | None = None  # the mapped task group it is in: per-index dependencies

    @property
    def is_mapped(self) -> bool:
        return self.expand is not None

    def retry_delay_after(self, try_number: int) -> float:
        return retry_delay_after(
            self.retry_delay, self.retry_exponential_backoff, self.max_retry_delay, try_number
        )


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
    relations: Relations = field(repr=False)
    access_control: dict[str, list[str]] = field(default_factory=dict)  # role or team -> grants
    display_name: str | None = None
    dagrun_timeout: float | None = None
    is_paused_upon_creation: bool | None = None
    edge_labels: dict[tuple[str, str], str] = field(default_factory=dict)
    asset_condition: dict[str, Any] | None = None  # runs when these assets are updated

    @property
    def upstream(self) -> dict[str, list[str]]:
        return self.relations.upstream

    @property
    def downstream(self) -> dict[str, list[str]]:
        return self.relations.downstream

    def retry_delay(self, task_id: str, try_number: int) -> float:
        """Seconds before failed try ``try_number`` of ``task_id`` is retried (backoff included;
        0 for a task this version lacks)."""
        task = self.tasks.get(task_id)
        return task.retry_delay_after(try_number) if task is not None else 0.0


def _date(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def loads(
    data: bytes | str, *, validate: bool = True, relations: bytes | str | None = None
) -> DagDocument:
    """Parse document bytes into a :class:`DagDocument`: the one reader of stored documents.

    Documents are validated once, on their way into the database; readers of
    stored rows pass ``validate=False`` and the ``relations`` stored with the
    version (see :mod:`dagkeeper.serialization.derived`), so nothing is rebuilt.
    """
    raw = json.loads(data)
    errors = _SCHEMA.validate(raw) if validate else None
    if errors:
        raise DocumentError(errors)
    edges = [(u, d) for u, d in raw["edges"]]
    if relations is None:
        links = relations_of([t["task_id"] for t in raw["tasks"]], edges)
    else:
        links = Relations(**json.loads(relations))
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
        relations=links,
        access_control=raw.get("access_control", {}),
        display_name=raw.get("display_name"),
        dagrun_timeout=raw.get("dagrun_timeout"),
        is_paused_upon_creation=raw.get("is_paused_upon_creation"),
        edge_labels={(u, d): label for u, d, label in raw.get("edge_labels", [])},
        asset_condition=raw.get("asset_condition"),
    )

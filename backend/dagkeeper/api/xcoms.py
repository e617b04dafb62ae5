"""``.../taskInstances/<task_id>/xcomEntries``: what a task instance handed to its downstream tasks.

Values are sent as JSON, cut to a bounded size (a task may return megabytes);
values under secret-looking keys, and any stored secret a value contains (a
connection password a bash command echoed), are masked.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from dagkeeper.api.errors import not_found
from dagkeeper.api.lookups import get_ti_or_404
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import iso, json_response
from dagkeeper.api.schemas import xcoms as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.masking import mask_secrets
from dagkeeper.models import TaskInstance, XCom
from dagkeeper.models.connection import stored_secret_values

blp = Blueprint(
    "xcoms",
    __name__,
    url_prefix="/api/v1/dags/<dag_id>/dagRuns/<run_id>/taskInstances/<task_id>/xcomEntries",
    description="XCom entries",
)
MAX_VALUE_CHARS = 64 * 1024  # one value as JSON text; a longer one is sent cut, as a string


def _entries(ti: TaskInstance) -> list[tuple[str, XCom]]:
    """``(key, row)`` of each XCom of the task instance, by key."""
    rows = session().scalars(select(XCom).where(XCom.task_instance_id == ti.id).order_by(XCom.key))
    return [(row.key, row) for row in rows]


def bounded(key: str, text: str, secrets: set[str]) -> tuple[Any, bool]:
    """The masked value, and whether it had to be cut to ``MAX_VALUE_CHARS``."""
    value = mask_secrets(json.loads(text), key, secrets)
    masked = json.dumps(value, ensure_ascii=False)
    if len(masked) <= MAX_VALUE_CHARS:
        return value, False
    return masked[:MAX_VALUE_CHARS], True


def xcom_dict(
    ti: TaskInstance, run_id: str, key: str, row: XCom, secrets: set[str]
) -> dict[str, Any]:
    value, truncated = bounded(key, row.value, secrets)
    return {
        "dag_id": ti.dag_id,
        "run_id": run_id,
        "task_id": ti.task_id,
        "map_index": ti.map_index,
        "key": key,
        "timestamp": iso(row.created_at),
        "value": value,
        "truncated": truncated,
    }


@blp.route("")
@blp.arguments(schemas.XComPageQuery, location="query")
@blp.response(200, schemas.XComCollection)
def list_xcoms(args, dag_id: str, run_id: str, task_id: str):
    """The task instance's XComs by key, values included (bounded and masked)."""
    ti = get_ti_or_404(dag_id, run_id, task_id, args["map_index"])
    entries = _entries(ti)
    page = entries[args["offset"] : args["offset"] + args["limit"]]
    secrets = stored_secret_values(session()) if page else set()
    body = [xcom_dict(ti, run_id, key, row, secrets) for key, row in page]
    return json_response({"xcom_entries": body, "total_entries": len(entries)})


@blp.route("/<xcom_key>")
@blp.arguments(schemas.XComQuery, location="query", as_kwargs=True)
@blp.response(200, schemas.XComSchema)
def get_xcom(dag_id: str, run_id: str, task_id: str, xcom_key: str, map_index: int = -1):
    """One XCom of the task instance."""
    ti = get_ti_or_404(dag_id, run_id, task_id, map_index)
    for key, row in _entries(ti):
        if key == xcom_key:
            return json_response(xcom_dict(ti, run_id, key, row, stored_secret_values(session())))
    not_found(f"XCom {xcom_key!r} of task instance {task_id!r}")

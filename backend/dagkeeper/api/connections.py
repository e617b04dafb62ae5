"""``/api/v1/connections``: list, create, read, update and delete connections.

The password is write-only (``has_password`` says whether one is set); values
under secret-looking keys of ``extra`` leave as ``***``.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from dagkeeper.api.errors import abort
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas import connections as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.api.writes import apply, found_or_404, same_as_path, write_or_409
from dagkeeper.models import Connection
from dagkeeper.redaction import mask_secrets

blp = Blueprint(
    "connections", __name__, url_prefix="/api/v1/connections", description="Connections"
)
COLUMNS = {
    "connection_id": "conn_id", "conn_type": "conn_type", "description": "description",
    "host": "host", "login": "login", "schema": "schema", "port": "port",
    "password": "password", "extra": "extra",
}  # fmt: skip
ORDERINGS = {"connection_id": Connection.conn_id, "conn_type": Connection.conn_type}


def _masked_extra(extra: str | None) -> str | None:
    if not extra:
        return extra
    try:
        return json.dumps(mask_secrets(json.loads(extra)))
    except ValueError:
        return "***"  # not JSON: nothing tells which part is secret


def connection_dict(c: Connection) -> dict[str, Any]:
    return {
        "connection_id": c.conn_id,
        "conn_type": c.conn_type,
        "description": c.description,
        "host": c.host,
        "login": c.login,
        "schema": c.schema,
        "port": c.port,
        "extra": _masked_extra(c.extra),
        "has_password": bool(c.password),
    }


def _find(s, conn_id: str) -> Connection:
    found = s.scalar(select(Connection).where(Connection.conn_id == conn_id))
    return found_or_404(found, f"connection {conn_id!r}")


@blp.route("")
@blp.arguments(schemas.ConnectionQuery, location="query")
@blp.response(200, schemas.ConnectionCollection)
def list_connections(args):
    """Connections by id."""
    s = session()
    column = ORDERINGS[args["order_by"].lstrip("-")]
    ordering = column.desc() if args["order_by"].startswith("-") else column.asc()
    total = s.scalar(select(func.count()).select_from(Connection))
    page = s.scalars(
        select(Connection)
        .order_by(ordering, Connection.conn_id)
        .limit(args["limit"])
        .offset(args["offset"])
    )
    body = [connection_dict(c) for c in page]
    return json_response({"connections": body, "total_entries": total})


@blp.route("", methods=["POST"])
@blp.arguments(schemas.ConnectionBody)
@blp.response(201, schemas.ConnectionSchema)
def create_connection(body):
    """Create a connection; its id must be new."""
    conn_id = body["connection_id"]
    with write_or_409(lambda: f"connection {conn_id!r}") as s:
        if s.scalar(select(Connection.id).where(Connection.conn_id == conn_id)) is not None:
            abort(409, f"connection {conn_id!r} already exists")
        row = Connection()
        apply(row, body, COLUMNS)
        s.add(row)
    return json_response(connection_dict(_find(session(), conn_id)), status=201)


@blp.route("/<connection_id>")
@blp.response(200, schemas.ConnectionSchema)
def get_connection(connection_id: str):
    """One connection (without its password)."""
    return json_response(connection_dict(_find(session(), connection_id)))


@blp.route("/<connection_id>", methods=["PATCH"])
@blp.arguments(schemas.ConnectionPatch)
@blp.response(200, schemas.ConnectionSchema)
def patch_connection(body, connection_id: str):
    """Change some fields of a connection (fields left out keep theirs; the password too)."""
    same_as_path(body, "connection_id", connection_id)
    with write_or_409(lambda: f"connection {connection_id!r}") as s:
        apply(_find(s, connection_id), body, COLUMNS)
    return json_response(connection_dict(_find(session(), connection_id)))


@blp.route("/<connection_id>", methods=["DELETE"])
@blp.response(204)
def delete_connection(connection_id: str):
    """Delete a connection."""
    with write_or_409(lambda: f"connection {connection_id!r}") as s:
        s.delete(_find(s, connection_id))
    return "", 204

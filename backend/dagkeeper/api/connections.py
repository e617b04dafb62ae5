"""``/api/v1/connections``: list, create, read, update and delete connections.

The password is write-only (``has_password`` says whether one is set); values
under secret-looking keys of ``extra`` leave as ``***``.
"""

from __future__ import annotations

import json
from typing import Any

from dagkeeper.api.auth.guard import requires
from dagkeeper.api.named_rows import NamedRows
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas import connections as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.masking import mask_secrets
from dagkeeper.models import Connection, Role

blp = Blueprint(
    "connections", __name__, url_prefix="/api/v1/connections", description="Connections"
)
ROWS = NamedRows(
    Connection, Connection.conn_id, "connection", "connection_id",
    columns={
        "connection_id": "conn_id", "conn_type": "conn_type", "description": "description",
        "host": "host", "login": "login", "schema": "schema", "port": "port",
        "password": "password", "extra": "extra",
    },
    orderings={"connection_id": Connection.conn_id, "conn_type": Connection.conn_type},
)  # fmt: skip


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


@blp.route("")
@requires(Role.OP)
@blp.arguments(schemas.ConnectionQuery, location="query")
@blp.response(200, schemas.ConnectionCollection)
def list_connections(args):
    """Connections by id."""
    total, page = ROWS.page(session(), args)
    body = [connection_dict(c) for c in page]
    return json_response({"connections": body, "total_entries": total})


def _one(conn_id: str, status: int = 200):
    return json_response(connection_dict(ROWS.find(session(), conn_id)), status=status)


@blp.route("", methods=["POST"])
@requires(Role.OP)
@blp.arguments(schemas.ConnectionBody)
@blp.response(201, schemas.ConnectionSchema)
def create_connection(body):
    """Create a connection; its id must be new."""
    return _one(ROWS.create(body), 201)


@blp.route("/<connection_id>")
@requires(Role.OP)
@blp.response(200, schemas.ConnectionSchema)
def get_connection(connection_id: str):
    """One connection (without its password)."""
    return _one(connection_id)


@blp.route("/<connection_id>", methods=["PATCH"])
@requires(Role.OP)
@blp.arguments(schemas.ConnectionPatch)
@blp.response(200, schemas.ConnectionSchema)
def patch_connection(body, connection_id: str):
    """Change some fields of a connection (fields left out keep theirs; the password too)."""
    return _one(ROWS.update(connection_id, body))


@blp.route("/<connection_id>", methods=["DELETE"])
@requires(Role.OP)
@blp.response(204)
def delete_connection(connection_id: str):
    """Delete a connection."""
    ROWS.delete(connection_id)
    return "", 204

"""``/api/v1/variables``: list, create, read, update and delete variables.

Values of secret-looking keys leave as ``***`` (set them again to change
them). Each variable says which DAG files read it when they were last parsed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from dagkeeper.api.auth.guard import requires
from dagkeeper.api.named_rows import NamedRows
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas import variables as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.masking import mask_secrets
from dagkeeper.models import ParseVariableRead, Role, Variable

blp = Blueprint("variables", __name__, url_prefix="/api/v1/variables", description="Variables")
ROWS = NamedRows(
    Variable, Variable.key, "variable", "key",
    columns={"key": "key", "value": "value", "description": "description"},
    orderings={"key": Variable.key},
)  # fmt: skip


def _readers(keys: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    rows = session().execute(
        select(ParseVariableRead.key, ParseVariableRead.fileloc)
        .where(ParseVariableRead.key.in_(keys))
        .order_by(ParseVariableRead.fileloc)
    )
    for key, fileloc in rows:
        found[key].append(fileloc)
    return found


def variable_dict(variable: Variable, readers: list[str]) -> dict[str, Any]:
    return {
        "key": variable.key,
        "value": mask_secrets(variable.value, variable.key),
        "description": variable.description,
        "read_at_parse_by": readers,
    }


def _one(key: str, status: int = 200):
    variable = ROWS.find(session(), key)
    return json_response(variable_dict(variable, _readers([key])[key]), status=status)


@blp.route("")
@requires(Role.OP)
@blp.arguments(schemas.VariableQuery, location="query")
@blp.response(200, schemas.VariableCollection)
def list_variables(args):
    """Variables by key."""
    total, page = ROWS.page(session(), args)
    readers = _readers([v.key for v in page])
    body = [variable_dict(v, readers[v.key]) for v in page]
    return json_response({"variables": body, "total_entries": total})


@blp.route("", methods=["POST"])
@requires(Role.OP)
@blp.arguments(schemas.VariableBody)
@blp.response(201, schemas.VariableSchema)
def create_variable(body):
    """Create a variable; its key must be new."""
    return _one(ROWS.create(body), 201)


@blp.route("/<path:variable_key>")
@requires(Role.OP)
@blp.response(200, schemas.VariableSchema)
def get_variable(variable_key: str):
    """One variable."""
    return _one(variable_key)


@blp.route("/<path:variable_key>", methods=["PATCH"])
@requires(Role.OP)
@blp.arguments(schemas.VariablePatch)
@blp.response(200, schemas.VariableSchema)
def patch_variable(body, variable_key: str):
    """Change a variable's value or description (fields left out keep theirs)."""
    return _one(ROWS.update(variable_key, body))


@blp.route("/<path:variable_key>", methods=["DELETE"])
@requires(Role.OP)
@blp.response(204)
def delete_variable(variable_key: str):
    """Delete a variable."""
    ROWS.delete(variable_key)
    return "", 204

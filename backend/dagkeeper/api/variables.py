"""``/api/v1/variables``: list, create, read, update and delete variables.

Values of secret-looking keys leave as ``***`` (set them again to change
them). Each variable says which DAG files read it when they were last parsed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from dagkeeper.api.errors import abort
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas import variables as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.api.writes import apply, found_or_404, same_as_path, write_or_409
from dagkeeper.models import ParseVariableRead, Variable
from dagkeeper.redaction import mask_secrets

blp = Blueprint("variables", __name__, url_prefix="/api/v1/variables", description="Variables")
COLUMNS = {"key": "key", "value": "value", "description": "description"}


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


def _find(s, key: str) -> Variable:
    return found_or_404(s.scalar(select(Variable).where(Variable.key == key)), f"variable {key!r}")


def _one(key: str, status: int = 200):
    variable = _find(session(), key)
    return json_response(variable_dict(variable, _readers([key])[key]), status=status)


@blp.route("")
@blp.arguments(schemas.VariableQuery, location="query")
@blp.response(200, schemas.VariableCollection)
def list_variables(args):
    """Variables by key."""
    s = session()
    ordering = Variable.key.desc() if args["order_by"] == "-key" else Variable.key.asc()
    total = s.scalar(select(func.count()).select_from(Variable))
    page = list(
        s.scalars(select(Variable).order_by(ordering).limit(args["limit"]).offset(args["offset"]))
    )
    readers = _readers([v.key for v in page])
    body = [variable_dict(v, readers[v.key]) for v in page]
    return json_response({"variables": body, "total_entries": total})


@blp.route("", methods=["POST"])
@blp.arguments(schemas.VariableBody)
@blp.response(201, schemas.VariableSchema)
def create_variable(body):
    """Create a variable; its key must be new."""
    with write_or_409(lambda: f"variable {body['key']!r}") as s:
        if s.scalar(select(Variable.id).where(Variable.key == body["key"])) is not None:
            abort(409, f"variable {body['key']!r} already exists")
        s.add(Variable(**body))
    return _one(body["key"], 201)


@blp.route("/<variable_key>")
@blp.response(200, schemas.VariableSchema)
def get_variable(variable_key: str):
    """One variable."""
    return _one(variable_key)


@blp.route("/<variable_key>", methods=["PATCH"])
@blp.arguments(schemas.VariablePatch)
@blp.response(200, schemas.VariableSchema)
def patch_variable(body, variable_key: str):
    """Change a variable's value or description (fields left out keep theirs)."""
    same_as_path(body, "key", variable_key)
    with write_or_409(lambda: f"variable {variable_key!r}") as s:
        apply(_find(s, variable_key), body, COLUMNS)
    return _one(variable_key)


@blp.route("/<variable_key>", methods=["DELETE"])
@blp.response(204)
def delete_variable(variable_key: str):
    """Delete a variable."""
    with write_or_409(lambda: f"variable {variable_key!r}") as s:
        s.delete(_find(s, variable_key))
    return "", 204

"""``/ui/diff``: which tasks and edges one version of a DAG added, removed or changed.

Computed per request from the two stored documents (no DAG code runs); both
versions are immutable, so the change token is a sound ETag for the answer.
Comparing two runs compares the versions they were created with. Without a
``to`` side the current version is compared, so a view can ask for "what
changed since version N" without first reading the DAG's version number.
"""

from __future__ import annotations

from dagkeeper.api.errors import not_found
from dagkeeper.api.lookups import get_dag_or_404
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas import diff as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import DagVersion, queries
from dagkeeper.serialization.diff import structure_diff

blp = Blueprint("diff", __name__, url_prefix="/ui", description="UI aggregates")


def _version(dag_id: str, number: int | None, run_id: str | None) -> DagVersion:
    if run_id is not None:
        version = queries.version_of_run(session(), dag_id, run_id)
        what = f"run {run_id!r} of DAG {dag_id!r}"
    else:
        version = queries.get_version(session(), dag_id, number)
        what = f"version {number}" if number else "the current version"
        what += f" of DAG {dag_id!r}"
    if version is None:
        get_dag_or_404(dag_id)
        not_found(what)
    return version


@blp.route("/diff/<dag_id>")
@blp.arguments(schemas.DiffQuery, location="query")
@blp.response(200, schemas.DiffSchema)
def diff(args, dag_id: str):
    """Tasks and edges added, removed and changed from ``from`` (or ``from_run``) to ``to``."""
    old = _version(dag_id, args.get("from_"), args.get("from_run"))
    new = _version(dag_id, args.get("to"), args.get("to_run"))
    body = structure_diff(old.document, new.document)
    head = {"dag_id": dag_id, "from_version": old.version_number, "to_version": new.version_number}
    return json_response(head | body)

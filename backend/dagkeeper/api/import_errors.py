"""``/api/v1/importErrors``: the files whose last parse failed."""

from __future__ import annotations

from sqlalchemy import exists, func, or_, select

from dagkeeper.api.auth import readable_by
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas.import_errors import (
    ImportErrorCollection,
    ImportErrorQuery,
    ImportErrorSchema,
)
from dagkeeper.api.shapes import shape
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import Dag, DagImportError
from dagkeeper.models.access import readable

blp = Blueprint(
    "import_errors", __name__, url_prefix="/api/v1/importErrors", description="Import errors"
)

import_error_dict = shape(
    ImportErrorSchema, import_error_id="id", filename="fileloc", stack_trace="stacktrace"
)
COLUMNS = {
    "import_error_id": DagImportError.id,
    "filename": DagImportError.fileloc,
    "timestamp": DagImportError.timestamp,
}


def visible_errors() -> list:
    """A file's error is shown when the caller may read one of its DAGs, or it has none yet."""
    condition = readable(Dag.dag_id, readable_by())
    if condition is None:
        return []
    of_file = Dag.fileloc == DagImportError.fileloc
    return [or_(~exists().where(of_file), exists().where(of_file, condition))]


@blp.route("")
@blp.arguments(ImportErrorQuery, location="query")
@blp.response(200, ImportErrorCollection)
def list_import_errors(args):
    """Current import errors, newest first by default."""
    s = session()
    column = COLUMNS[args["order_by"].lstrip("-")]
    ordering = column.desc() if args["order_by"].startswith("-") else column.asc()
    visible = visible_errors()
    total = s.scalar(select(func.count()).select_from(DagImportError).where(*visible))
    rows = s.scalars(
        select(DagImportError)
        .where(*visible)
        .order_by(ordering, DagImportError.id)
        .limit(args["limit"])
        .offset(args["offset"])
    )
    errors = [import_error_dict(e) for e in rows]
    return json_response({"import_errors": errors, "total_entries": total})

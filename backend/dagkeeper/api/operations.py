"""Operations on metadata: delete a DAG no file defines any more; ask for a reparse.

The web server never parses: "reparse now" only records a ``parse_request``
row that the watching processor takes within a second. Deleting is refused
while the DAG's file still defines it, since the next parse would bring it
back (with a fresh history, which is rarely what was meant).
"""

from __future__ import annotations

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from dagkeeper import db
from dagkeeper.api.auth.audit import audit
from dagkeeper.api.auth.guard import readable_by, requires
from dagkeeper.api.errors import abort, not_found
from dagkeeper.api.request_cycle import end_reads
from dagkeeper.api.responses import iso, json_response
from dagkeeper.api.schemas import operations as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import (
    ChangeKind,
    Dag,
    DagFile,
    DagImportError,
    DagRun,
    DagVersion,
    Role,
    record_change,
    utcnow,
)
from dagkeeper.models.access import readable
from dagkeeper.models.component import ParseRequest

blp = Blueprint("operations", __name__, url_prefix="/api/v1", description="Operations")


@blp.route("/dags/<dag_id>", methods=["DELETE"])
@requires(Role.ADMIN)
@blp.response(200, schemas.DeletedDagSchema)
@blp.alt_response(409, description="a DAG file still defines this DAG")
def delete_dag(dag_id: str):
    """Delete a DAG's rows (versions, runs, task instances, logs); refused while a file defines it."""
    with db.transaction() as s:
        dag = s.get(Dag, dag_id, with_for_update=True)
        if dag is None:
            not_found(f"DAG {dag_id!r}")
        if dag.is_active:
            abort(
                409,
                f"DAG {dag_id!r} is still defined by {dag.fileloc}: remove it from the file first, "
                "or the next parse brings it back with an empty history",
            )
        runs = s.scalar(select(func.count()).where(DagRun.dag_id == dag_id))
        versions = s.scalar(select(func.count()).where(DagVersion.dag_id == dag_id))
        s.execute(delete(DagRun).where(DagRun.dag_id == dag_id))  # task instances cascade
        s.execute(delete(Dag).where(Dag.dag_id == dag_id))  # versions and tags cascade
        record_change(s, [(dag_id, ChangeKind.DAG)])
        audit(s, "delete_dag", dag_id=dag_id, detail={"runs": runs, "versions": versions})
    end_reads()
    return json_response({"dag_id": dag_id, "deleted_runs": runs, "deleted_versions": versions})


@blp.route("/parseRequests", methods=["POST"])
@requires(Role.OP)
@blp.arguments(schemas.ParseRequestBody)
@blp.response(202, schemas.ParseRequestSchema)
def request_parse(body):
    """Ask the processor to parse a known file again now, even if its bytes did not change."""
    fileloc = body["fileloc"]
    now = utcnow()
    with db.transaction() as s:
        known = s.scalar(select(DagFile.id).where(DagFile.path == fileloc)) or s.scalar(
            select(DagImportError.id).where(DagImportError.fileloc == fileloc)
        )
        if known is None or not _may_read_file(s, fileloc):
            not_found(f"DAG file {fileloc!r}")
        request = s.scalar(
            select(ParseRequest).where(ParseRequest.fileloc == fileloc).with_for_update()
        )
        if request is None:
            s.add(ParseRequest(fileloc=fileloc, requested_at=now))
        else:
            request.requested_at = now
        audit(s, "reparse", target=fileloc)
    end_reads()
    return json_response({"fileloc": fileloc, "requested_at": iso(now)}, status=202)


def _may_read_file(s: Session, fileloc: str) -> bool:
    """A file defining only DAGs the caller may not read is, to them, not there (like its DAGs)."""
    condition = readable(Dag.dag_id, readable_by())
    if condition is None or not s.scalar(select(exists().where(Dag.fileloc == fileloc))):
        return True
    return bool(s.scalar(select(exists().where(Dag.fileloc == fileloc, condition))))

"""``/api/v1/dags``: the DAG list, one DAG, its details, tasks, source and versions.

Everything comes from the ``dag`` rows and the stored version documents; no
DAG file is ever imported here.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from dagkeeper import db
from dagkeeper.api.auth import editable_among, readable_by
from dagkeeper.api.auth.audit import audit
from dagkeeper.api.errors import not_found
from dagkeeper.api.lookups import current_version_or_404, get_dag_or_404
from dagkeeper.api.request_cycle import end_reads, session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas import dags as schemas
from dagkeeper.api.schemas.common import MAX_INT32
from dagkeeper.api.shapes import GIVEN, shape
from dagkeeper.api.spec import Blueprint
from dagkeeper.masking import mask_by_name, mask_params
from dagkeeper.models import ChangeKind, Dag, DagCode, DagVersion, queries, record_change

blp = Blueprint("dags", __name__, url_prefix="/api/v1/dags", description="DAGs")


run_brief = shape(schemas.RunBrief)
DAG_SOURCES = {
    "owners": lambda dag: dag.owners.split(",") if dag.owners else [],
    "schedule": shape(
        schemas.ScheduleSchema,
        kind="schedule_kind", expression="schedule_expression", summary="schedule_summary",
    ),
    "tags": GIVEN, "latest_run": GIVEN, "recent_runs": GIVEN, "can_edit": GIVEN,
}  # fmt: skip
dag_shape = shape(schemas.DagSchema, **DAG_SOURCES)
details_shape = shape(
    schemas.DagDetailsSchema, **DAG_SOURCES,
    doc_md=GIVEN, params=GIVEN, default_args=GIVEN, task_count=GIVEN, hash=GIVEN,
    display_name=GIVEN, dagrun_timeout=GIVEN,
)  # fmt: skip


def dag_dict(dag, tags: list[str], runs: list, can_edit: bool) -> dict[str, Any]:
    """``dag`` is a Dag or a row of its columns (the list reads plain rows)."""
    recent = [run_brief(r) for r in runs]
    latest = recent[-1] if recent else None
    return dag_shape(dag, tags=tags, latest_run=latest, recent_runs=recent, can_edit=can_edit)


def one_dag(dag: Dag, dump=dag_shape, **given) -> dict[str, Any]:
    """One DAG as in the list; ``dump`` and ``given``: a wider shape and its extra values."""
    s = session()
    recent = [run_brief(r) for r in queries.recent_runs_of(s, [dag.dag_id])[dag.dag_id]]
    tags = queries.tags_of(s, [dag.dag_id])[dag.dag_id]
    can_edit = dag.dag_id in editable_among([dag.dag_id])
    latest = recent[-1] if recent else None
    return dump(dag, tags=tags, latest_run=latest, recent_runs=recent, can_edit=can_edit, **given)


@blp.route("")
@blp.arguments(schemas.DagListQuery, location="query")
@blp.response(200, schemas.DagCollection)
def list_dags(args):
    """List DAGs, filtered, ordered and paged, each with its recent runs."""
    filters = queries.DagFilters(
        search=args.get("search"),
        tags=args.get("tags", ()),
        paused=args.get("paused"),
        only_active=args["only_active"],
        has_import_errors=args.get("has_import_errors"),
        readable_by=readable_by(),
    )
    s = session()
    total = queries.count_dags(s, filters)
    page = queries.select_dag_page(s, filters, args["order_by"], args["limit"], args["offset"])
    dag_ids = [d.dag_id for d in page]
    tags = queries.tags_of(s, dag_ids) if dag_ids else {}
    runs = queries.recent_runs_of(s, dag_ids) if dag_ids else {}
    editable = editable_among(dag_ids)
    dags = [dag_dict(d, tags[d.dag_id], runs[d.dag_id], d.dag_id in editable) for d in page]
    return json_response({"dags": dags, "total_entries": total})


@blp.route("/<dag_id>")
@blp.response(200, schemas.DagSchema)
def get_dag(dag_id: str):
    """One DAG as in the list."""
    return json_response(one_dag(get_dag_or_404(dag_id)))


@blp.route("/<dag_id>", methods=["PATCH"])
@blp.arguments(schemas.DagPatch)
@blp.response(200, schemas.DagSchema)
def patch_dag(body, dag_id: str):
    """Pause or unpause a DAG."""
    with db.transaction() as s:
        dag = s.get(Dag, dag_id)
        if dag is None:
            not_found(f"DAG {dag_id!r}")
        if dag.is_paused != body["is_paused"]:
            dag.is_paused = body["is_paused"]
            record_change(s, [(dag_id, ChangeKind.DAG)])
            audit(s, "pause" if body["is_paused"] else "unpause", target=dag_id)
    end_reads()
    return json_response(one_dag(get_dag_or_404(dag_id)))


@blp.route("/<dag_id>/details")
@blp.response(200, schemas.DagDetailsSchema)
def get_dag_details(dag_id: str):
    """Every attribute of a DAG, from its row and its current version's document."""
    dag = get_dag_or_404(dag_id)
    version = current_version_or_404(dag_id)
    document = version.read()
    details = one_dag(
        dag,
        details_shape,
        doc_md=document.doc_md,
        params=mask_params(sorted(document.params.items(), key=lambda item: item[1]["position"])),
        default_args=mask_by_name(document.default_args),
        task_count=version.task_count,
        hash=version.hash,
        display_name=document.display_name,
        dagrun_timeout=document.dagrun_timeout,
    )
    return json_response(details)


task_shape = shape(schemas.TaskSchema, upstream_task_ids=GIVEN, downstream_task_ids=GIVEN)


def task_dicts(version: DagVersion) -> list[dict[str, Any]]:
    document = version.read()
    return [
        task_shape(
            t,
            upstream_task_ids=sorted(document.upstream[t.task_id]),
            downstream_task_ids=sorted(document.downstream[t.task_id]),
        )
        for t in document.tasks.values()
    ]


@blp.route("/<dag_id>/tasks")
@blp.response(200, schemas.TaskCollection)
def list_tasks(dag_id: str):
    """The tasks of the DAG's current version, by task_id."""
    tasks = task_dicts(current_version_or_404(dag_id))
    return json_response({"tasks": tasks, "total_entries": len(tasks)})


@blp.route("/<dag_id>/tasks/<task_id>")
@blp.response(200, schemas.TaskSchema)
def get_task(dag_id: str, task_id: str):
    """One task of the DAG's current version."""
    for task in task_dicts(current_version_or_404(dag_id)):
        if task["task_id"] == task_id:
            return json_response(task)
    not_found(f"task {task_id!r} of DAG {dag_id!r}")


source_shape = shape(schemas.SourceSchema, dag_id=GIVEN, version_number=GIVEN)


@blp.route("/<dag_id>/source")
@blp.arguments(schemas.VersionQuery, location="query")
@blp.response(200, schemas.SourceSchema)
def get_source(args, dag_id: str):
    """The DAG file's source as stored with the current version (or ``?version=N``)."""
    version = current_version_or_404(dag_id, args.get("version"))
    code = session().get(DagCode, version.dag_code_id)
    return json_response(source_shape(code, dag_id=dag_id, version_number=version.version_number))


VERSION_COLUMNS = (
    DagVersion.version_number, DagVersion.hash, DagVersion.created_at, DagVersion.task_count,
    DagVersion.revision, DagVersion.git_commit,
)  # fmt: skip
version_dict = shape(schemas.VersionSchema)


@blp.route("/<dag_id>/versions")
@blp.arguments(schemas.PageQuery, location="query")
@blp.response(200, schemas.VersionCollection)
def list_versions(args, dag_id: str):
    """The DAG's versions, newest first."""
    get_dag_or_404(dag_id)
    s = session()
    total = s.scalar(select(func.count()).where(DagVersion.dag_id == dag_id))
    rows = s.execute(
        select(*VERSION_COLUMNS)
        .where(DagVersion.dag_id == dag_id)
        .order_by(DagVersion.version_number.desc())
        .limit(args["limit"])
        .offset(args["offset"])
    )
    return json_response({"versions": [version_dict(r) for r in rows], "total_entries": total})


@blp.route(f"/<dag_id>/versions/<int(max={MAX_INT32}):version_number>")
@blp.response(200, schemas.VersionDetailSchema)
def get_version(dag_id: str, version_number: int):
    """One version with its stored document (secret-named params and default_args masked)."""
    version = current_version_or_404(dag_id, version_number)
    document = json.loads(version.document)
    document.update(
        params=mask_params(document["params"].items()),
        default_args=mask_by_name(document["default_args"]),
    )
    return json_response({**version_dict(version), "document": document})

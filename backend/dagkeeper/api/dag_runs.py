"""``/api/v1/dags/<dag_id>/dagRuns``: list, trigger, read and mark runs.

A trigger only writes a queued run pinned to the DAG's current version; the
scheduler starts it. The web server never runs tasks.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dagkeeper import db
from dagkeeper.api.auth.audit import audit
from dagkeeper.api.errors import abort
from dagkeeper.api.lookups import get_dag_or_404, get_run_or_404
from dagkeeper.api.notes import set_note
from dagkeeper.api.request_cycle import end_reads, session
from dagkeeper.api.responses import collection_response, json_response
from dagkeeper.api.schemas import dag_runs as schemas
from dagkeeper.api.schemas.common import NoteBody
from dagkeeper.api.shapes import GIVEN, shape
from dagkeeper.api.spec import Blueprint
from dagkeeper.masking import mask_by_name
from dagkeeper.models import (
    ChangeKind,
    DagRun,
    DagVersion,
    RunExists,
    RunState,
    TaskInstance,
    TaskState,
    queries,
    queue_manual_run,
    record_change,
    utcnow,
)  # fmt: skip
from dagkeeper.serialization.params import conf_errors

blp = Blueprint(
    "dag_runs", __name__, url_prefix="/api/v1/dags/<dag_id>/dagRuns", description="DAG runs"
)


# run_dict(run, version_number)
run_dict = shape(
    schemas.RunSchema, conf=lambda run: mask_by_name(json.loads(run.conf)), version_number=GIVEN
)


@blp.route("")
@blp.arguments(schemas.RunListQuery, location="query")
@blp.response(200, schemas.RunCollection)
def list_runs(args, dag_id: str):
    """Runs of a DAG, filtered and ordered (newest first by default)."""
    get_dag_or_404(dag_id)
    filters = queries.RunFilters(
        states=args.get("state", ()),
        run_type=args.get("run_type"),
        logical_date_gte=args.get("logical_date_gte"),
        logical_date_lte=args.get("logical_date_lte"),
    )
    total, page = queries.run_page(
        session(), dag_id, filters, args["order_by"], args["limit"], args["offset"]
    )
    return collection_response("dag_runs", (run_dict(run, n) for run, n in page), total)


@blp.route("", methods=["POST"])
@blp.arguments(schemas.TriggerBody)
@blp.response(201, schemas.RunSchema)
def trigger_run(body, dag_id: str):
    """Queue a manual run of the DAG's current version; ``conf`` is checked against params."""
    dag = get_dag_or_404(dag_id)
    if not dag.is_active or dag.current_version_id is None:
        abort(409, f"DAG {dag_id!r} is not active: its file is gone or was never parsed")
    version = session().get(DagVersion, dag.current_version_id)
    document = version.read()
    errors = conf_errors(body["conf"], document.params)
    if errors:
        abort(400, "conf does not match the DAG's params; see errors.", errors)
    try:
        with db.transaction() as s:
            run = queue_manual_run(
                s, dag, version.id, document, body["conf"], logical_date=body.get("logical_date"),
                run_id=body.get("run_id"), note=body.get("note"),
            )  # fmt: skip
            audit(s, "trigger", target=run.run_id,
                  detail={"conf": body["conf"], "note": body.get("note")})  # fmt: skip
    except RunExists as exists:
        abort(409, str(exists))
    except IntegrityError:  # a concurrent trigger won the race
        abort(409, "a run with this run_id or logical_date already exists")
    return json_response(run_dict(run, version.version_number), status=201)


@blp.route("/<run_id>")
@blp.response(200, schemas.RunSchema)
def get_run(dag_id: str, run_id: str):
    """One run."""
    return json_response(run_dict(*get_run_or_404(dag_id, run_id)))


# What marking a run does to its unfinished task instances (as Airflow does).
UNFINISHED = (None, TaskState.SCHEDULED, TaskState.QUEUED, TaskState.RUNNING,
              TaskState.UP_FOR_RETRY, *TaskState.WAITING)  # fmt: skip


def _mark_task_instances(s, run: DagRun, state: str) -> None:
    now = utcnow()
    for ti in s.scalars(select(TaskInstance).where(TaskInstance.dag_run_id == run.id)):
        if state == RunState.SUCCESS and ti.state != TaskState.SUCCESS:
            ti.state, ti.end_date = TaskState.SUCCESS, now
        elif state == RunState.FAILED and ti.state in UNFINISHED:
            running = ti.state == TaskState.RUNNING
            ti.state = TaskState.FAILED if running else TaskState.SKIPPED
            ti.end_date = now


@blp.route("/<run_id>", methods=["PATCH"])
@blp.arguments(schemas.RunPatch)
@blp.response(200, schemas.RunSchema)
def patch_run(body, dag_id: str, run_id: str):
    """Mark a run success or failed (its unfinished tasks follow), or queue it again."""
    get_run_or_404(dag_id, run_id)
    state = body["state"]
    with db.transaction() as s:
        run = s.scalar(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id))
        if run.state != state:
            run.state = state
            run.end_date = utcnow() if state in RunState.FINISHED else None
            if state in RunState.FINISHED:
                _mark_task_instances(s, run, state)
            record_change(s, [(dag_id, ChangeKind.RUN)])
            audit(s, "mark_run", target=run_id, detail={"state": state})
    end_reads()
    return json_response(run_dict(*get_run_or_404(dag_id, run_id)))


@blp.route("/<run_id>/setNote", methods=["PATCH"])
@blp.arguments(NoteBody)
@blp.response(200, schemas.RunSchema)
def set_run_note(body, dag_id: str, run_id: str):
    """Set or clear (``null``) the run's note."""
    run_pk = get_run_or_404(dag_id, run_id)[0].id
    with db.transaction() as s:
        set_note(s, s.get(DagRun, run_pk), body["note"], run_id)
    end_reads()
    return json_response(run_dict(*get_run_or_404(dag_id, run_id)))

"""``/api/v1/backfills``: create (or preview), list, read, pause, unpause and cancel backfills.

Creating writes the backfill and its queued runs in one transaction, from the
same plan the dry run returns (:mod:`dagkeeper.backfills`); the scheduler
starts them. A backfill belongs to a DAG named in the body or found through
the row, so the per-DAG grant check happens here rather than in the guard.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from dagkeeper import db
from dagkeeper.api.auth import current_identity, require_dag_access
from dagkeeper.api.auth.audit import audit
from dagkeeper.api.errors import abort, not_found
from dagkeeper.api.lookups import get_dag_or_404
from dagkeeper.api.request_cycle import end_reads, session
from dagkeeper.api.responses import collection_response, json_response
from dagkeeper.api.schemas import backfills as schemas
from dagkeeper.api.schemas.common import MAX_INT32
from dagkeeper.api.shapes import GIVEN, shape
from dagkeeper.api.spec import Blueprint
from dagkeeper.backfills import (
    BackfillError,
    BackfillRequest,
    cancel_backfill,
    create_backfill,
    plan_backfill,
    progress,
    set_paused,
)
from dagkeeper.masking import mask_by_name
from dagkeeper.models import Backfill, ChangeKind, Dag, record_change, utcnow
from dagkeeper.models.queries import document_of
from dagkeeper.serialization.params import conf_errors

blp = Blueprint("backfills", __name__, url_prefix="/api/v1/backfills", description="Backfills")

backfill_shape = shape(
    schemas.BackfillSchema,
    dag_run_conf=lambda b: mask_by_name(json.loads(b.dag_run_conf)),
    total_runs=GIVEN, run_states=GIVEN,
)  # fmt: skip
dry_run_entry = shape(schemas.DryRunEntry)


def _dump(backfill: Backfill, states: dict[str, int]) -> dict[str, Any]:
    return backfill_shape(backfill, sum(states.values()), states)


def _one(backfill_id: int, status: int = 200):
    backfill = _get_or_404(backfill_id, edit=False)
    states = progress(session(), [backfill.id])[backfill.id]
    return json_response(_dump(backfill, states), status=status)


def _get_or_404(backfill_id: int, *, edit: bool) -> Backfill:
    backfill = session().get(Backfill, backfill_id)
    if backfill is None:
        not_found(f"backfill {backfill_id}")
    require_dag_access(backfill.dag_id, edit=edit)
    return backfill


def _request(body: dict[str, Any]) -> tuple[str, BackfillRequest]:
    """The DAG id (checked: readable, editable, params accept the conf) and the request."""
    dag = get_dag_or_404(body["dag_id"])
    require_dag_access(dag.dag_id, edit=True)
    if dag.current_version_id is not None:
        document = document_of(session(), dag.current_version_id)
        errors = conf_errors(body["dag_run_conf"], document.params if document else {})
        if errors:
            errors = {f"dag_run_{key}": messages for key, messages in errors.items()}
            abort(400, "dag_run_conf does not match the DAG's params; see errors.", errors)
    return dag.dag_id, BackfillRequest(**body)


def _refuse(error: BackfillError):
    abort(error.status, str(error), {error.field: [str(error)]})


@blp.route("")
@blp.arguments(schemas.BackfillQuery, location="query")
@blp.response(200, schemas.BackfillCollection)
def list_backfills(args):
    """A DAG's backfills, newest first, with their runs counted by state."""
    get_dag_or_404(args["dag_id"])
    require_dag_access(args["dag_id"], edit=False)
    s = session()
    where = Backfill.dag_id == args["dag_id"]
    total = s.scalar(select(func.count()).select_from(Backfill).where(where))
    page = s.scalars(
        select(Backfill).where(where).order_by(Backfill.id.desc())
        .limit(args["limit"]).offset(args["offset"])
    ).all()  # fmt: skip
    counts = progress(s, [b.id for b in page])
    return collection_response("backfills", (_dump(b, counts[b.id]) for b in page), total)


@blp.route("/dry_run", methods=["POST"])
@blp.arguments(schemas.BackfillBody)
@blp.response(200, schemas.DryRunCollection)
def dry_run(body):
    """The runs a backfill with this body would create or re-run, in the order they start."""
    dag_id, request = _request(body)
    try:
        plan = plan_backfill(session(), session().get(Dag, dag_id), request, utcnow())
    except BackfillError as error:
        _refuse(error)
    return collection_response("backfills", (dry_run_entry(p) for p in plan), len(plan))


@blp.route("", methods=["POST"])
@blp.arguments(schemas.BackfillBody)
@blp.response(201, schemas.BackfillSchema)
def create(body):
    """Create a backfill: its runs are queued now and started by the scheduler."""
    dag_id, request = _request(body)
    end_reads()
    identity = current_identity()
    try:
        with db.transaction() as s:
            dag = s.get(Dag, dag_id)
            backfill, plan = create_backfill(
                s, dag, request, utcnow(), identity.username if identity else None
            )
            record_change(s, [(dag_id, ChangeKind.RUN)])
            audit(s, "create_backfill", dag_id=dag_id, target=str(backfill.id),
                  detail={**body, "dag_run_conf": mask_by_name(body["dag_run_conf"]),
                          "runs": len(plan)})  # fmt: skip
            backfill_id = backfill.id
    except BackfillError as error:
        _refuse(error)
    except IntegrityError:  # a concurrent backfill or trigger took one of the dates
        abort(409, "another run was created for one of these dates meanwhile; try again")
    return _one(backfill_id, status=201)


def _change(backfill_id: int, event: str, apply) -> Any:
    dag_id = _get_or_404(backfill_id, edit=True).dag_id
    end_reads()
    try:
        with db.transaction() as s:
            backfill = s.get(Backfill, backfill_id, with_for_update=True)
            apply(s, backfill)
            record_change(s, [(dag_id, ChangeKind.RUN)])
            audit(s, event, dag_id=dag_id, target=str(backfill_id))
    except BackfillError as error:
        _refuse(error)
    end_reads()
    return _one(backfill_id)


@blp.route(f"/<int(max={MAX_INT32}):backfill_id>")
@blp.response(200, schemas.BackfillSchema)
def get_backfill(backfill_id: int):
    """One backfill with its runs counted by state."""
    return _one(backfill_id)


@blp.route(f"/<int(max={MAX_INT32}):backfill_id>/pause", methods=["PUT"])
@blp.response(200, schemas.BackfillSchema)
def pause(backfill_id: int):
    """Start no more of its runs (running ones go on)."""
    return _change(backfill_id, "pause_backfill", lambda s, b: set_paused(b, True))


@blp.route(f"/<int(max={MAX_INT32}):backfill_id>/unpause", methods=["PUT"])
@blp.response(200, schemas.BackfillSchema)
def unpause(backfill_id: int):
    """Start its runs again."""
    return _change(backfill_id, "unpause_backfill", lambda s, b: set_paused(b, False))


@blp.route(f"/<int(max={MAX_INT32}):backfill_id>/cancel", methods=["PUT"])
@blp.response(200, schemas.BackfillSchema)
def cancel(backfill_id: int):
    """As the peer: its queued runs fail, running ones finish, and it is completed now."""
    return _change(backfill_id, "cancel_backfill", lambda s, b: cancel_backfill(s, b, utcnow()))

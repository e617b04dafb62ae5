"""Task instances of a run: list, details with tries, logs, marking and clearing."""

from __future__ import annotations

import hashlib
import json
from contextlib import nullcontext

from flask import request
from sqlalchemy import func, select

from dagkeeper import db
from dagkeeper.api.auth import editable_among
from dagkeeper.api.auth.audit import audit
from dagkeeper.api.clear import ClearRequest, clear, unknown_runs
from dagkeeper.api.errors import abort, not_found
from dagkeeper.api.lookups import get_dag_or_404, get_run_or_404, get_ti_or_404
from dagkeeper.api.notes import set_note
from dagkeeper.api.request_cycle import end_reads, not_modified, session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas import task_instances as schemas
from dagkeeper.api.schemas.common import MAX_INT32, NoteBody, PageQuery
from dagkeeper.api.shapes import GIVEN, shape
from dagkeeper.api.spec import Blueprint
from dagkeeper.masking import mask_by_name
from dagkeeper.models import (
    ChangeKind,
    DagRun,
    RenderedTaskFields,
    TaskInstance,
    TaskInstanceHistory,
    TaskLog,
    TaskState,
    record_change,
    utcnow,
)  # fmt: skip

blp = Blueprint(
    "task_instances", __name__, url_prefix="/api/v1/dags/<dag_id>", description="Task instances"
)
TI_PATH = "/dagRuns/<run_id>/taskInstances/<task_id>"
MAX_LOG_CHARS = schemas.MAX_LOG_CHARS


ti_dict = shape(schemas.TaskInstanceSchema, run_id=GIVEN)  # ti_dict(ti, run_id)
try_dict = shape(schemas.TrySchema)


@blp.route("/dagRuns/<run_id>/taskInstances")
@blp.arguments(PageQuery, location="query")
@blp.response(200, schemas.TaskInstanceCollection)
def list_task_instances(args, dag_id: str, run_id: str):
    """The task instances of one run, by task_id."""
    run, _ = get_run_or_404(dag_id, run_id)
    s = session()
    total = s.scalar(select(func.count()).where(TaskInstance.dag_run_id == run.id))
    page = s.scalars(
        select(TaskInstance)
        .where(TaskInstance.dag_run_id == run.id)
        .order_by(TaskInstance.task_id, TaskInstance.map_index)
        .limit(args["limit"])
        .offset(args["offset"])
    )
    tis = [ti_dict(ti, run_id) for ti in page]
    return json_response({"task_instances": tis, "total_entries": total})


@blp.route(f"{TI_PATH}/listMapped")
@blp.arguments(schemas.MappedQuery, location="query")
@blp.response(200, schemas.MappedCollection)
def list_mapped_task_instances(args, dag_id: str, run_id: str, task_id: str):
    """A mapped task's instances in one run, by map index, paged and filtered by ``state``.

    ``state_counts`` covers every map index, so a caller pages through one
    state while showing the whole task's summary.
    """
    run, _ = get_run_or_404(dag_id, run_id)
    s = session()
    of_task = (TaskInstance.dag_run_id == run.id, TaskInstance.task_id == task_id)
    counts = dict(
        s.execute(
            select(TaskInstance.state, func.count()).where(*of_task).group_by(TaskInstance.state)
        ).all()
    )
    if not counts:
        not_found(f"task instance {task_id!r} of run {run_id!r}")
    state_counts = {state or "none": n for state, n in counts.items()}
    conditions = [*of_task, TaskInstance.map_index >= 0]
    if "state" in args:
        wanted = args["state"]
        conditions.append(
            TaskInstance.state.is_(None) if wanted == "none" else TaskInstance.state == wanted
        )
    total = s.scalar(select(func.count()).where(*conditions))
    page = s.scalars(
        select(TaskInstance)
        .where(*conditions)
        .order_by(TaskInstance.map_index)
        .limit(args["limit"])
        .offset(args["offset"])
    )
    tis = [ti_dict(ti, run_id) for ti in page]
    return json_response(
        {"task_instances": tis, "total_entries": total, "state_counts": state_counts}
    )


@blp.route(TI_PATH)
@blp.arguments(schemas.MapIndexQuery, location="query", as_kwargs=True)
@blp.response(200, schemas.TaskInstanceDetailSchema)
def get_task_instance(dag_id: str, run_id: str, task_id: str, map_index: int = -1):
    """One task instance with its rendered template fields and every try."""
    return _detail(get_ti_or_404(dag_id, run_id, task_id, map_index), run_id)


@blp.route(f"{TI_PATH}/<int(max={MAX_INT32}):map_index>")
@blp.response(200, schemas.TaskInstanceDetailSchema)
def get_mapped_task_instance(dag_id: str, run_id: str, task_id: str, map_index: int):
    """One map index of a mapped task (Airflow's path; ``?map_index=`` works too)."""
    return _detail(get_ti_or_404(dag_id, run_id, task_id, map_index), run_id)


def _detail(ti: TaskInstance, run_id: str):
    s = session()
    rendered = s.get(RenderedTaskFields, (ti.id, ti.try_number))
    history = s.scalars(
        select(TaskInstanceHistory)
        .where(TaskInstanceHistory.task_instance_id == ti.id)
        .order_by(TaskInstanceHistory.try_number)
    )
    tries = [try_dict(t) for t in history if t.try_number != ti.try_number]
    if ti.try_number:
        tries.append(try_dict(ti))
    detail = ti_dict(ti, run_id)
    detail["rendered_fields"] = mask_by_name(json.loads(rendered.rendered)) if rendered else None
    detail["tries"] = tries
    return json_response(detail)


def _try_is_over(ti: TaskInstance, try_number: int) -> bool:
    if try_number < ti.try_number:
        return True
    return ti.state in (*TaskState.FINISHED, TaskState.UP_FOR_RETRY)


@blp.route(f"{TI_PATH}/logs/<int(max={MAX_INT32}):try_number>")
@blp.arguments(schemas.LogQuery, location="query")
@blp.response(200, schemas.LogSchema)
def get_log(args, dag_id: str, run_id: str, task_id: str, try_number: int):
    """A try's log from ``offset`` on; poll with ``next_offset`` to tail a running task.

    Its ETag is (try, last chunk, completeness): a running task's log grows
    without a change-token bump, and an unrelated change must not refetch it.
    """
    ti = get_ti_or_404(dag_id, run_id, task_id, args["map_index"])
    if not 1 <= try_number <= ti.try_number:
        not_found(f"try {try_number} of task instance {task_id!r}")
    s = session()
    complete = _try_is_over(ti, try_number)
    last = s.execute(
        select(func.max(TaskLog.offset), func.count()).where(
            TaskLog.task_instance_id == ti.id, TaskLog.try_number == try_number
        )
    ).one()
    query = hashlib.blake2b(request.full_path.encode(), digest_size=6).hexdigest()
    cached = not_modified(f"log-{ti.id}-{try_number}-{last[0]}-{last[1]}-{int(complete)}-{query}")
    if cached is not None:
        return cached
    offset = args["offset"]
    start = s.scalar(
        select(func.max(TaskLog.offset)).where(
            TaskLog.task_instance_id == ti.id,
            TaskLog.try_number == try_number,
            TaskLog.offset <= offset,
        )
    )
    chunks = s.execute(
        select(TaskLog.offset, TaskLog.content)
        .where(
            TaskLog.task_instance_id == ti.id,
            TaskLog.try_number == try_number,
            TaskLog.offset >= (start or 0),
            TaskLog.offset < offset + MAX_LOG_CHARS,  # chunks overlapping this page only
        )
        .order_by(TaskLog.offset)
    ).all()
    text = "".join(c.content for c in chunks)
    rest = text[max(offset - chunks[0].offset, 0) :] if chunks else ""
    content = rest[:MAX_LOG_CHARS]
    more = len(rest) > MAX_LOG_CHARS or (last[0] is not None and last[0] >= offset + MAX_LOG_CHARS)
    return json_response(
        {
            "content": content,
            "offset": offset,
            "next_offset": offset + len(content),
            "complete": complete and not more,  # readers keep paging until complete
        }
    )


@blp.route(TI_PATH, methods=["PATCH"])
@blp.arguments(schemas.TaskInstancePatch)
@blp.arguments(schemas.MapIndexQuery, location="query", as_kwargs=True)
@blp.response(200, schemas.TaskInstanceSchema)
def patch_task_instance(body, dag_id: str, run_id: str, task_id: str, map_index: int = -1):
    """Mark a task instance success or failed; the scheduler takes it from there."""
    ti_id = get_ti_or_404(dag_id, run_id, task_id, map_index).id
    with db.transaction() as s:
        ti = s.get(TaskInstance, ti_id)
        if ti.state != body["state"]:
            ti.state = body["state"]
            ti.end_date = utcnow()
            ti.next_try_at = None
            s.get(DagRun, ti.dag_run_id).reopen()
            record_change(s, [(dag_id, ChangeKind.RUN)])
            audit(s, "mark_task_instance", target=f"{run_id}/{task_id}",
                  detail={"state": body["state"], "map_index": map_index})  # fmt: skip
    end_reads()
    return json_response(ti_dict(get_ti_or_404(dag_id, run_id, task_id, map_index), run_id))


@blp.route(f"{TI_PATH}/setNote", methods=["PATCH"])
@blp.arguments(NoteBody)
@blp.arguments(schemas.MapIndexQuery, location="query", as_kwargs=True)
@blp.response(200, schemas.TaskInstanceSchema)
def set_task_instance_note(body, dag_id: str, run_id: str, task_id: str, map_index: int = -1):
    """Set or clear (``null``) the task instance's note."""
    ti_id = get_ti_or_404(dag_id, run_id, task_id, map_index).id
    with db.transaction() as s:
        set_note(s, s.get(TaskInstance, ti_id), body["note"], f"{run_id}/{task_id}")
    end_reads()
    return json_response(ti_dict(get_ti_or_404(dag_id, run_id, task_id, map_index), run_id))


@blp.route("/clearTaskInstances", methods=["POST"])
@blp.arguments(schemas.ClearBody)
@blp.response(200, schemas.ClearedCollection)
def clear_task_instances(body, dag_id: str):
    """Clear task instances of some runs so the scheduler runs them again (or list them)."""
    get_dag_or_404(dag_id)
    missing = unknown_runs(session(), dag_id, body["dag_run_ids"])
    if missing:
        not_found(f"runs {missing} of DAG {dag_id!r}")
    clear_request = ClearRequest(
        dag_id=dag_id,
        run_ids=body["dag_run_ids"],
        task_ids=body.get("task_ids"),
        include_upstream=body["include_upstream"],
        include_downstream=body["include_downstream"],
        only_failed=body["only_failed"],
        dry_run=body["dry_run"],
        may_follow=lambda other: other in editable_among([other]),
        map_indexes=body.get("map_indexes"),
    )
    writes = nullcontext(session()) if clear_request.dry_run else db.transaction()
    with writes as s:
        cleared, unknown = clear(s, clear_request)
        if unknown:  # raised inside the transaction: nothing is written
            messages = [f"unknown task {t!r}" for t in sorted(unknown)]
            abort(400, "task_ids names tasks the runs do not have", {"task_ids": messages})
        if not clear_request.dry_run:
            audit(s, "clear", target=",".join(body["dag_run_ids"])[:500],
                  detail={**body, "cleared": len(cleared)})  # fmt: skip
    tis = [
        {"dag_id": d, "run_id": r, "task_id": t, "map_index": i, "state": st}
        for d, r, t, i, st in cleared
    ]
    return json_response({"task_instances": tis})

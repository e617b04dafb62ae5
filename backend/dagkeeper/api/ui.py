"""``/ui/...``: aggregates shaped for one round trip per view.

``structure`` splices the stored structure text into its envelope (no JSON
decoding); ``grid`` reads runs, the version's stored task order and then only
(run, task, state) triples, and encodes states as one character per run so
2,000 tasks x 25 runs stay small. A mapped task is one row: its cell shows
the most pressing state among its map indexes, and ``mapped`` gives the
count of map indexes per state for each run (the cell's tooltip).
"""

from __future__ import annotations

import json

from flask import current_app
from sqlalchemy import select

from dagkeeper.api.auth import readable_by
from dagkeeper.api.errors import abort, not_found
from dagkeeper.api.lookups import get_dag_or_404
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas import ui as schemas
from dagkeeper.api.shapes import shape
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import DagRun, DagVersion, queries
from dagkeeper.models.access import hidden_dag_ids
from dagkeeper.models.change import changes_since, current_token

blp = Blueprint("ui", __name__, url_prefix="/ui", description="UI aggregates")

STATE_CODES = {
    ".": "no_task_instance",
    "-": "none",
    "S": "scheduled",
    "Q": "queued",
    "R": "running",
    "s": "success",
    "f": "failed",
    "k": "skipped",
    "u": "upstream_failed",
    "r": "up_for_retry",
    "x": "removed",
    "w": "up_for_reschedule",
    "d": "deferred",
}
CODE_OF_STATE = {state: ord(char) for char, state in STATE_CODES.items() if char not in ".-"}
DASH = ord("-")
CODE_OF_STATE[None] = DASH
# A mapped task's cell shows its most pressing map index state (Airflow's priority order).
SUMMARY_PRIORITY: dict[str | None, int] = {
    state: rank
    for rank, state in enumerate(reversed((
        "failed", "upstream_failed", "up_for_retry", "queued", "scheduled", "running", None,
        "removed", "skipped", "success",
    )), start=1)
}  # fmt: skip
MAX_CHANGES = 500
grid_run = shape(schemas.GridRunSchema)


@blp.route("/structure/<dag_id>")
@blp.arguments(schemas.StructureQuery, location="query")
@blp.response(200, schemas.StructureSchema)
def structure(args, dag_id: str):
    """The graph/tree structure of a version: current, ``?version=N`` or ``?run_id=R``'s."""
    if "version" in args and "run_id" in args:
        abort(400, "give version or run_id, not both", {"run_id": ["conflicts with version"]})
    s = session()
    if "run_id" in args:
        version = queries.version_of_run(s, dag_id, args["run_id"])
        what = f"run {args['run_id']!r} of DAG {dag_id!r}"
    else:
        version = queries.get_version(s, dag_id, args.get("version"))
        what = f"version {args.get('version', '(current)')} of DAG {dag_id!r}"
    if version is None:
        get_dag_or_404(dag_id)
        not_found(what)
    head = json.dumps(
        {"dag_id": dag_id, "version_number": version.version_number, "hash": version.hash},
        separators=(",", ":"),
    )
    return json_response(None, raw=f'{head[:-1]},"structure":{version.structure}}}')


@blp.route("/grid/<dag_id>")
@blp.arguments(schemas.GridQuery, location="query")
@blp.response(200, schemas.GridSchema)
def grid(args, dag_id: str):
    """The newest runs and, per task in tree order, one state character per run.

    With ``run_id``, only that run, its rows in the tree order of the version it ran
    with (what the graph colours a chosen run's structure from).
    """
    if "before" in args and "run_id" in args:
        abort(400, "give before or run_id, not both", {"run_id": ["conflicts with before"]})
    dag = get_dag_or_404(dag_id)
    s = session()
    before = None
    if "before" in args:
        before = s.scalar(
            select(DagRun.logical_date).where(
                DagRun.dag_id == dag_id, DagRun.run_id == args["before"]
            )
        )
        if before is None:
            not_found(f"run {args['before']!r} of DAG {dag_id!r}")
    runs, has_more = queries.grid_runs(s, dag_id, args["limit"], before, args.get("run_id"))
    version_id, version_number = dag.current_version_id, dag.version_number
    if "run_id" in args:
        if not runs:
            not_found(f"run {args['run_id']!r} of DAG {dag_id!r}")
        version_id, version_number = runs[0].dag_version_id, runs[0].version_number
    order = s.scalar(select(DagVersion.task_order).where(DagVersion.id == version_id))
    task_ids = json.loads(order) if order else []
    width = len(runs)
    column = {run.id: i for i, run in enumerate(runs)}
    row_start = {task_id: i * width for i, task_id in enumerate(task_ids)}
    cells = bytearray(b"." * (width * len(task_ids)))  # one byte per (task, run), row-major
    shown: dict[int, str | None] = {}  # cell -> state shown so far (a mapped task's summary)
    mapped: dict[str, list[dict[str, int] | None]] = {}
    for dag_run_id, task_id, state, count, top_index in queries.grid_states(s, list(column)):
        start = row_start.get(task_id)
        if start is None:  # a task the newest version no longer has
            continue
        cell = start + column[dag_run_id]
        if cell not in shown or SUMMARY_PRIORITY.get(state, 0) > SUMMARY_PRIORITY.get(
            shown[cell], 0
        ):
            shown[cell] = state
            cells[cell] = CODE_OF_STATE.get(state, DASH)
        if top_index >= 0:  # expanded: the tooltip shows how many map indexes are in each state
            counts = mapped.setdefault(task_id, [None] * width)
            by_state = counts[column[dag_run_id]] = counts[column[dag_run_id]] or {}
            by_state[state or "none"] = count
    body = {
        "dag_id": dag_id,
        "version_number": version_number,
        "runs": [grid_run(r) for r in runs],
        "has_more": has_more,
        "task_ids": task_ids,
        "states": [cells[start : start + width].decode() for start in row_start.values()],
        "state_codes": STATE_CODES,
        "mapped": mapped,
    }
    return json_response(body)


@blp.route("/changes")
@blp.arguments(schemas.ChangesQuery, location="query")
@blp.response(200, schemas.ChangesSchema)
@blp.alt_response(304, description="nothing changed since the token")
def changes(args):
    """What changed after token ``since``: poll it every second, 304 when nothing did."""
    s = session()
    token = current_token(s)
    since = args["since"]
    if token == since:
        return current_app.response_class(status=304)
    found, complete = changes_since(s, since, MAX_CHANGES) if since < token else ([], False)
    hidden = hidden_dag_ids(s, [d for d, _ in found if d is not None], readable_by())
    found = [(d, k) for d, k in found if d not in hidden]
    body = {
        "token": token,
        "changes": [{"dag_id": d, "kind": k} for d, k in found],
        "truncated": not complete,
    }
    return json_response(body)

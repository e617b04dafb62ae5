"""``/ui/...``: aggregates shaped for one round trip per view.

``structure`` splices the stored structure text into its envelope (no JSON
decoding); ``grid`` reads runs, the version's stored task order and then, per
run, its task ids and their state codes concatenated by the database (25 rows
for 2,000 tasks x 25 runs, not 50,000: see docs/PROFILE.md), and encodes
states as one character per run so the document stays small. A mapped task
is one row: its cell shows the most pressing state among its map indexes, and
``mapped`` gives the count of map indexes per state for each run (the cell's
tooltip).
"""

from __future__ import annotations

import json
from collections import defaultdict

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
from dagkeeper.models.queries import GRID_SEPARATOR

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
# A mapped task's cell shows its most pressing map index state: Airflow's priority order,
# and of the two states it does not rank, the first by name.
_LEAST_PRESSING_FIRST = (
    "up_for_reschedule", "deferred", "success", "skipped", "removed", None, "running",
    "scheduled", "queued", "up_for_retry", "upstream_failed", "failed",
)  # fmt: skip
RANK = {state: rank for rank, state in enumerate(_LEAST_PRESSING_FIRST)}
CODE = {state: char for char, state in STATE_CODES.items() if char not in ".-"} | {None: "-"}
EMPTY = "."  # a run without an instance of the task
# a state as grid_cells gives it (NULL: "") -> its code; "." stands for no task instance
CODE_OF_NAME = defaultdict(lambda: "-", {state or "": char for state, char in CODE.items()})
CODE_OF_NAME[EMPTY] = EMPTY
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
    # one string per run, a code per task in tree order ("." where the run has no instance)
    by_run = [EMPTY * len(task_ids)] * width
    last_joined, picks, expanded = None, [], []
    for dag_run_id, joined, names, top_index in queries.grid_cells(s, list(column)):
        if top_index >= 0:
            expanded.append(dag_run_id)
        if joined is None:  # only expanded map indexes
            continue
        if joined != last_joined:  # runs of one version share their task ids: split once
            position = {task_id: i for i, task_id in enumerate(joined.split(GRID_SEPARATOR))}
            missing = len(position)  # index of the EMPTY appended below
            picks = [position.get(task_id, missing) for task_id in task_ids]
            last_joined = joined
        named = names.split(GRID_SEPARATOR)
        named.append(EMPTY)
        by_run[column[dag_run_id]] = "".join(
            map(CODE_OF_NAME.__getitem__, map(named.__getitem__, picks))
        )
    states = ["".join(row) for row in zip(*by_run, strict=True)] if width else [""] * len(task_ids)
    mapped = _mapped(queries.grid_mapped(s, expanded), task_ids, column, states)
    body = {
        "dag_id": dag_id,
        "version_number": version_number,
        "runs": [grid_run(r) for r in runs],
        "has_more": has_more,
        "task_ids": task_ids,
        "states": states,
        "state_codes": STATE_CODES,
        "mapped": mapped,
    }
    return json_response(body)


def _mapped(
    rows: list[tuple[int, str, str | None, int]],
    task_ids: list[str],
    column: dict[int, int],
    states: list[str],
) -> dict[str, list[dict[str, int] | None]]:
    """The tooltip counts per state of each expanded mapped task; sets its cells in ``states``.

    A mapped task's cell shows the most pressing state among its map indexes.
    """
    if not rows:
        return {}
    row_of = {task_id: i for i, task_id in enumerate(task_ids)}
    width = len(column)
    mapped: dict[str, list[dict[str, int] | None]] = {}
    shown: dict[tuple[int, int], str | None] = {}
    for dag_run_id, task_id, state, count in rows:
        if task_id not in row_of:  # a task the version no longer has
            continue
        cell = (row_of[task_id], column[dag_run_id])
        counts = mapped.setdefault(task_id, [None] * width)
        by_state = counts[cell[1]] = counts[cell[1]] or {}
        by_state[state or "none"] = count
        if cell not in shown or RANK.get(state, -1) > RANK.get(shown[cell], -1):
            shown[cell] = state
    for (row, col), state in shown.items():
        states[row] = states[row][:col] + CODE.get(state, "-") + states[row][col + 1 :]
    return mapped


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

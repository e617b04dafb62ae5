"""``/ui/gantt``, ``/ui/task_history``, ``/ui/calendar``: where the time went.

Each is one round trip for its view; all move with the change token (every
state change records a change), so they share the token ETag and cache.
"""

from __future__ import annotations

from datetime import UTC, datetime

from dagkeeper.api.lookups import get_dag_or_404, get_run_or_404, newest_run_or_404
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import iso, json_response
from dagkeeper.api.schemas import timeline as schemas
from dagkeeper.api.shapes import shape
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import utcnow
from dagkeeper.models.timeline import daily_outcomes, run_tries, task_history

blp = Blueprint("timeline", __name__, url_prefix="/ui", description="UI aggregates")

try_dict = shape(schemas.GanttTrySchema, current=lambda t: bool(t.current))
run_dict = shape(schemas.TaskRunSchema)


@blp.route("/gantt/<dag_id>")
@blp.arguments(schemas.GanttQuery, location="query")
@blp.response(200, schemas.GanttSchema)
def gantt(args, dag_id: str):
    """Every try of every task of one run (the newest by default), with its queued, start and end times."""
    if "run_id" in args:
        run, version_number = get_run_or_404(dag_id, args["run_id"])
    else:
        run, version_number = newest_run_or_404(dag_id)
    tries = [try_dict(t) for t in run_tries(session(), run.id)]
    body = {
        "dag_id": dag_id, "run_id": run.run_id, "state": run.state,
        "version_number": version_number, "queued_at": iso(run.queued_at),
        "start_date": iso(run.start_date), "end_date": iso(run.end_date), "tries": tries,
    }  # fmt: skip
    return json_response(body)


@blp.route("/task_history/<dag_id>/<task_id>")
@blp.arguments(schemas.TaskHistoryQuery, location="query")
@blp.response(200, schemas.TaskHistorySchema)
def history(args, dag_id: str, task_id: str):
    """The task's state, tries and duration in each of the newest runs that have it."""
    get_dag_or_404(dag_id)
    runs = [run_dict(r) for r in task_history(session(), dag_id, task_id, args["limit"])]
    return json_response({"dag_id": dag_id, "task_id": task_id, "runs": runs})


@blp.route("/calendar/<dag_id>")
@blp.arguments(schemas.CalendarQuery, location="query")
@blp.response(200, schemas.CalendarSchema)
def calendar(args, dag_id: str):
    """Runs per state for each UTC day of a year (by logical date); days without runs left out."""
    get_dag_or_404(dag_id)
    year = args.get("year", utcnow().year)
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC) if year < 9999 else datetime.max.replace(tzinfo=UTC)
    days: dict[str, dict[str, int]] = {}
    for day, state, count in daily_outcomes(session(), dag_id, start, end):
        days.setdefault(day, {})[state] = count
    body = {
        "dag_id": dag_id,
        "year": year,
        "days": [{"date": day, "counts": counts} for day, counts in days.items()],
    }
    return json_response(body)

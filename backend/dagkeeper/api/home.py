"""``/ui/home``: is everything alive, and how did the last hours go?

Heartbeats move without the change token, so this endpoint is outside the
token ETag and response cache: every request reads the rows afresh. Runs, tasks,
DAGs and import errors are counted over the DAGs the caller may read only.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from dagkeeper.api.auth import readable_by
from dagkeeper.api.import_errors import visible_errors
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import iso, json_response
from dagkeeper.api.schemas import home as schemas
from dagkeeper.api.shapes import GIVEN, shape
from dagkeeper.api.spec import Blueprint
from dagkeeper.beacon import DOWN_AFTER_BEATS, heartbeat_interval
from dagkeeper.config import load_settings
from dagkeeper.models import DagImportError, DagRun, TaskInstance, TaskState, utcnow
from dagkeeper.models.access import readable
from dagkeeper.models.component import components
from dagkeeper.models.overview import finished_run_stats, runs_by_state, task_instances_by_state

blp = Blueprint("home", __name__, url_prefix="/ui", description="UI aggregates")


component_dict = shape(schemas.ComponentSchema, healthy=GIVEN)
error_dict = shape(schemas.RecentImportErrorSchema, filename="fileloc")
stats_dict = shape(schemas.DagStatsSchema, mean_seconds=lambda row: round(row.mean_seconds, 3))


def expected_components(s) -> list[str]:
    """Without a processor and a scheduler nothing runs; with the Celery executor tasks
    need workers; deferred tasks wait for a triggerer (only then is one needed)."""
    kinds = ["processor", "scheduler"]
    if load_settings().executor == "celery":
        kinds.append("worker")
    deferred = select(TaskInstance.id).where(TaskInstance.state == TaskState.DEFERRED).limit(1)
    if s.scalar(deferred) is not None:
        kinds.append("triggerer")
    return kinds


@blp.route("/home")
@blp.arguments(schemas.HomeQuery, location="query")
@blp.response(200, schemas.HomeSchema)
def home(args):
    """Component health from heartbeats, and the window's runs, tasks and problem DAGs."""
    s = session()
    now = utcnow()
    since = now - timedelta(hours=args["hours"])
    interval = heartbeat_interval()
    down_before = now - timedelta(seconds=interval * DOWN_AFTER_BEATS)
    visible = readable(DagRun.dag_id, readable_by())
    errors = visible_errors()
    stats = finished_run_stats(s, since, visible)
    failing = sorted((r for r in stats if r.failed), key=lambda r: (-r.failed, r.dag_id))
    slowest = sorted(stats, key=lambda r: (-r.mean_seconds, r.dag_id))
    recent_errors = s.scalars(
        select(DagImportError)
        .where(*errors)
        .order_by(DagImportError.timestamp.desc())
        .limit(args["limit"])
    )
    body = {
        "now": iso(now),
        "hours": args["hours"],
        "heartbeat_interval": interval,
        "components": [component_dict(c, c.last_heartbeat >= down_before) for c in components(s)],
        "expected": expected_components(s),
        "runs": runs_by_state(s, since, visible),
        "task_instances": task_instances_by_state(s, since, visible),
        "import_errors": {
            "total": s.scalar(select(func.count()).select_from(DagImportError).where(*errors)),
            "recent": [error_dict(e) for e in recent_errors],
        },
        "slowest_dags": [stats_dict(r) for r in slowest[: args["limit"]]],
        "failing_dags": [stats_dict(r) for r in failing[: args["limit"]]],
    }
    return json_response(body)

"""``/ui/home``: is everything alive, and how did the last hours go?

Heartbeats move without the change token, so this endpoint is outside the
token ETag and response cache: every request reads the rows afresh.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import iso, json_response
from dagkeeper.api.schemas import home as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.beacon import DOWN_AFTER_BEATS, heartbeat_interval
from dagkeeper.models import DagImportError, utcnow
from dagkeeper.models.component import components
from dagkeeper.models.overview import finished_run_stats, runs_by_state, task_instances_by_state

blp = Blueprint("home", __name__, url_prefix="/ui", description="UI aggregates")


def _stats(row) -> dict:
    return {
        "dag_id": row.dag_id, "runs": row.runs, "failed": row.failed,
        "mean_seconds": round(row.mean_seconds, 3),
    }  # fmt: skip


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
    stats = finished_run_stats(s, since)
    failing = sorted((r for r in stats if r.failed), key=lambda r: (-r.failed, r.dag_id))
    slowest = sorted(stats, key=lambda r: (-r.mean_seconds, r.dag_id))
    recent_errors = s.scalars(
        select(DagImportError).order_by(DagImportError.timestamp.desc()).limit(args["limit"])
    )
    body = {
        "now": iso(now),
        "hours": args["hours"],
        "heartbeat_interval": interval,
        "components": [
            {
                "kind": c.kind,
                "hostname": c.hostname,
                "pid": c.pid,
                "started_at": iso(c.started_at),
                "last_heartbeat": iso(c.last_heartbeat),
                "healthy": c.last_heartbeat >= down_before,
            }  # fmt: skip
            for c in components(s)
        ],
        "runs": runs_by_state(s, since),
        "task_instances": task_instances_by_state(s, since),
        "import_errors": {
            "total": s.scalar(select(func.count()).select_from(DagImportError)),
            "recent": [
                {"filename": e.fileloc, "message": e.message, "timestamp": iso(e.timestamp)}
                for e in recent_errors
            ],
        },
        "slowest_dags": [_stats(r) for r in slowest[: args["limit"]]],
        "failing_dags": [_stats(r) for r in failing[: args["limit"]]],
    }
    return json_response(body)

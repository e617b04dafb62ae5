"""``/api/v1/workers``: the Celery workers, their queues, running tries and heartbeats.

Read from the ``worker`` table each worker heartbeats and from the task
instances its runners claimed, so every web worker shows the same list.
"""

from __future__ import annotations

from datetime import timedelta

from dagkeeper.api.auth import readable_by
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import iso, json_response
from dagkeeper.api.schemas.common import PageQuery
from dagkeeper.api.schemas.workers import WorkerCollection
from dagkeeper.api.spec import Blueprint
from dagkeeper.config import load_settings
from dagkeeper.models import utcnow
from dagkeeper.models.worker import Worker, worker_page

blp = Blueprint("workers", __name__, url_prefix="/api/v1/workers", description="Workers")

LOST_AFTER_BEATS = 3  # missed heartbeats before a worker that did not stop counts as lost


def _state(worker: Worker, lost_before) -> str:
    if worker.stopped_at is not None:
        return "stopped"
    return "lost" if worker.last_heartbeat_at < lost_before else "alive"


@blp.route("")
@blp.arguments(PageQuery, location="query")
@blp.response(200, WorkerCollection)
def list_workers(args):
    """Every worker that ever registered, by host name, with the tries running on it."""
    lost_before = utcnow() - timedelta(seconds=LOST_AFTER_BEATS * load_settings().worker_heartbeat)
    total, page = worker_page(session(), args["limit"], args["offset"], readable_by())
    workers = [
        {
            "hostname": w.hostname,
            "state": _state(w, lost_before),
            "queues": w.queues.split(","),
            "concurrency": w.concurrency,
            "pid": w.pid,
            "started_at": iso(w.started_at),
            "last_heartbeat_at": iso(w.last_heartbeat_at),
            "stopped_at": iso(w.stopped_at),
            "running": [
                {
                    "dag_id": t.dag_id,
                    "run_id": t.run_id,
                    "task_id": t.task_id,
                    "try_number": t.try_number,
                    "start_date": iso(t.start_date),
                }
                for t in running
            ],
        }
        for w, running in page
    ]
    return json_response({"workers": workers, "total_entries": total})

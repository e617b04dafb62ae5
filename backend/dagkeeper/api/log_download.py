"""The whole log of a try as a plain-text download, streamed chunk by chunk.

A 50 MB log never sits in one response body in memory: chunks are read from
the database in batches (by offset, each batch its own query) and written out
as they come; the request's session stays open until the stream ends.
"""

from __future__ import annotations

import re

from flask import Response, stream_with_context
from sqlalchemy import select

from dagkeeper.api.errors import not_found
from dagkeeper.api.lookups import get_ti_or_404
from dagkeeper.api.request_cycle import session
from dagkeeper.api.schemas.common import MAX_INT32
from dagkeeper.api.schemas.task_instances import MapIndexQuery
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import TaskLog

blp = Blueprint("log_download", __name__, url_prefix="/api/v1/dags", description="Task logs")

BATCH = 200  # chunks per database round trip


TRY = f"<int(max={MAX_INT32}):try_number>"


@blp.route(f"/<dag_id>/dagRuns/<run_id>/taskInstances/<task_id>/logs/{TRY}/download")
@blp.arguments(MapIndexQuery, location="query", as_kwargs=True)
@blp.response(200, {"type": "string"}, content_type="text/plain")
def download_log(dag_id: str, run_id: str, task_id: str, try_number: int, map_index: int = -1):
    """The try's whole log as ``text/plain``, for saving (a running try: what it logged so far)."""
    ti = get_ti_or_404(dag_id, run_id, task_id, map_index)
    if not 1 <= try_number <= ti.try_number:
        not_found(f"try {try_number} of task instance {task_id!r}")

    def chunks():
        after = -1
        while True:
            batch = (
                session()
                .execute(
                    select(TaskLog.offset, TaskLog.content)
                    .where(
                        TaskLog.task_instance_id == ti.id,
                        TaskLog.try_number == try_number,
                        TaskLog.offset > after,
                    )
                    .order_by(TaskLog.offset)
                    .limit(BATCH)
                )
                .all()
            )
            for _offset, content in batch:
                yield content
            if len(batch) < BATCH:
                return
            after = batch[-1].offset

    index = f"__{map_index}" if map_index >= 0 else ""
    name = f"{dag_id}__{run_id}__{task_id}{index}__{try_number}.log".replace(":", "-")
    name = re.sub(r"[^\w.+-]", "_", name, flags=re.ASCII)  # a safe header value on any id
    return Response(
        stream_with_context(chunks()),
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

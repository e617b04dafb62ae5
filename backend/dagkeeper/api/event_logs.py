"""``/api/v1/eventLogs``: the audit trail, filtered and paged (admins)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from dagkeeper.api.auth import requires
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import iso, json_response
from dagkeeper.api.schemas import auth as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import EventLog, Role

blp = Blueprint("event_logs", __name__, url_prefix="/api/v1/eventLogs", description="Audit log")
EQUAL_FILTERS = ("username", "event", "dag_id", "outcome")


def event_dict(row: EventLog) -> dict:
    return {
        "id": row.id,
        "at": iso(row.at),
        "username": row.username,
        "event": row.event,
        "outcome": row.outcome,
        "dag_id": row.dag_id,
        "target": row.target,
        "address": row.address,
        "detail": json.loads(row.detail) if row.detail else None,
    }


@blp.route("")
@requires(Role.ADMIN)
@blp.arguments(schemas.EventLogQuery, location="query")
@blp.response(200, schemas.EventLogCollection)
def list_event_logs(args):
    """Who did what, when, to what, with which outcome and from where; newest first."""
    conditions = [getattr(EventLog, name) == args[name] for name in EQUAL_FILTERS if name in args]
    if "after" in args:
        conditions.append(EventLog.at >= args["after"])
    if "before" in args:
        conditions.append(EventLog.at < args["before"])
    column = getattr(EventLog, args["order_by"].lstrip("-"))
    ordering = column.desc() if args["order_by"].startswith("-") else column.asc()
    s = session()
    total = s.scalar(select(func.count()).select_from(EventLog).where(*conditions))
    rows = s.scalars(
        select(EventLog)
        .where(*conditions)
        .order_by(ordering, EventLog.id.desc())
        .limit(args["limit"])
        .offset(args["offset"])
    )
    return json_response({"event_logs": [event_dict(r) for r in rows], "total_entries": total})

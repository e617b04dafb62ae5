"""Write audit events with who and from where filled in from the request."""

from __future__ import annotations

import json
from typing import Any

from flask import g, request
from sqlalchemy.orm import Session

from dagkeeper import db
from dagkeeper.models import Outcome, record_event

MAX_DETAIL = 4000


def audit(
    session: Session,
    event: str,
    *,
    dag_id: str | None = None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    outcome: str = Outcome.SUCCESS,
    username: str | None = None,
) -> None:
    """Add an event to ``session``: it commits or rolls back with the change it describes."""
    identity = g.get("identity")
    text = json.dumps(detail, sort_keys=True, default=str) if detail else None
    record_event(
        session,
        event,
        username=username or (identity.username if identity else None),
        address=request.remote_addr,
        outcome=outcome,
        dag_id=dag_id if dag_id is not None else (request.view_args or {}).get("dag_id"),
        target=target,
        detail=text[:MAX_DETAIL] if text else None,
    )


def audit_refusal(reason: str) -> None:
    """A refused write, in its own transaction (there is no change to join)."""
    with db.transaction() as s:
        audit(
            s,
            request.endpoint or request.path,
            target=request.path,
            detail={"method": request.method, "reason": reason},
            outcome=Outcome.DENIED,
        )

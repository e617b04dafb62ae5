"""``/api/v1/health``: can this worker reach the database *and write to it* right now?

The check opens a new connection (no pool: a pooled one can keep working on
a store that new connections can no longer use, e.g. a SQLite WAL file
removed under the running system) and takes the write lock with a write that
is rolled back. Anything that fails is ``degraded`` with a 503, so a load
balancer takes the worker out of rotation.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from dagkeeper import db
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas.health import HealthSchema
from dagkeeper.api.spec import Blueprint
from dagkeeper.models.change import current_token

blp = Blueprint("health", __name__, url_prefix="/api/v1/health", description="Health")
log = logging.getLogger(__name__)


@blp.route("")
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="the database cannot be read or written")
def health():
    """200 when a new connection can read and write; 503 with ``status: degraded`` otherwise."""
    try:
        db.probe_write()
        token = current_token(session())
    except (SQLAlchemyError, OSError) as exc:
        log.warning("health check failed: %s", exc)
        body = {"status": "degraded", "database": "unreachable", "token": None}
        return json_response(body, status=503)
    return json_response({"status": "ok", "database": "ok", "token": token})

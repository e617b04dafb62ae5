"""``/api/v1/health``: is this worker up, and can it reach the database?"""

from __future__ import annotations

from dagkeeper.api.errors import DATABASE_ERRORS
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas.health import HealthSchema
from dagkeeper.api.spec import Blueprint
from dagkeeper.models.change import current_token

blp = Blueprint("health", __name__, url_prefix="/api/v1/health", description="Health")


@blp.route("")
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="the database is unreachable")
def health():
    """200 when the database answers; 503 with ``status: degraded`` when it does not."""
    try:
        token = current_token(session())
    except DATABASE_ERRORS:
        body = {"status": "degraded", "database": "unreachable", "token": None}
        return json_response(body, status=503)
    return json_response({"status": "ok", "database": "ok", "token": token})

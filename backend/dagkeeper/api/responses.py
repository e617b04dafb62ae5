"""Plain-dict JSON responses for the hot paths (shaped exactly as the schemas document).

Marshmallow validates what comes in; what goes out is built from rows into
dicts (by :mod:`dagkeeper.api.shapes`, from the response schemas) and encoded
once, because dumping thousands of objects through schemas costs more than
the queries.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import Response, current_app


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def json_response(data: Any, status: int = 200, raw: str | None = None) -> Response:
    """Encode ``data`` once; ``raw`` is already-encoded JSON text sent as it is."""
    body = raw if raw is not None else json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return current_app.response_class(body, status=status, mimetype="application/json")

"""The built single-page app: hashed assets cached forever, every other path gets index.html.

``/api/`` and ``/ui/`` paths are never answered with the page: an unknown API
path stays a problem+json 404. A hashed asset is served from its ``.br`` or
``.gz`` twin, written next to it at build time (``frontend/scripts/precompress.mjs``),
when the client accepts that encoding.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Blueprint, Response, current_app, request, send_from_directory

from dagkeeper.api import compression
from dagkeeper.api.errors import not_found

STATIC = Path(__file__).parent / "static"
API_PREFIXES = ("api/", "ui/")

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dagkeeper</title></head>
<body>
<h1>dagkeeper</h1>
<p>The web UI is not built yet: run <code>make frontend</code>, then reload.</p>
<p>The API is up: <a href="/api/v1/docs">/api/v1/docs</a>.</p>
</body></html>
"""

bp = Blueprint("spa", __name__)


@bp.route("/assets/<path:filename>")
def asset(filename: str) -> Response:
    response = _precompressed(filename) or send_from_directory(
        STATIC / "assets", filename, max_age=31536000
    )
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _precompressed(filename: str) -> Response | None:
    encoding = compression.choose(request)
    suffix = {"br": ".br", "gzip": ".gz"}.get(encoding or "")
    if suffix is None or not (STATIC / "assets" / f"{filename}{suffix}").is_file():
        return None
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = send_from_directory(
        STATIC / "assets", f"{filename}{suffix}", mimetype=mimetype, max_age=31536000
    )
    response.headers["Content-Encoding"] = encoding
    return response


@bp.route("/", defaults={"path": ""})
@bp.route("/<path:path>")
def page(path: str) -> Response:
    if path.startswith(API_PREFIXES) or path in ("api", "ui"):
        not_found(f"/{path}")
    if path and (STATIC / path).is_file():
        return send_from_directory(STATIC, path)  # safe_join inside refuses "../"
    index = STATIC / "index.html"
    if not index.is_file():
        response = current_app.response_class(NOT_BUILT, mimetype="text/html")
    else:
        response = send_from_directory(STATIC, "index.html")
    response.headers["Cache-Control"] = "no-cache"
    return response

"""The built single-page app: hashed assets cached forever, every other path gets index.html.

``/api/`` and ``/ui/`` paths are never answered with the page: an unknown API
path stays a problem+json 404.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory

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
    response = send_from_directory(STATIC / "assets", filename, max_age=31536000)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
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

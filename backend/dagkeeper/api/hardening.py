"""What every request passes before any view: Host allow-list, method, NUL bytes, body size.

* **Host**: a page on another name that resolves to us (DNS rebinding) sends
  its own name in ``Host``; only the names in ``DAGKEEPER_ALLOWED_HOSTS`` (by
  default the loopback names and the address the server binds to) are answered.
* **Method**: an unknown method is a 405 before any body is looked at.
* **NUL** in the path or query is a 400 (PostgreSQL text cannot hold it).
* **Body size**: each endpoint has its own limit (a trigger's is the ``conf``
  limit plus room for the other fields), checked before the body is read.

And on the way out every response carries the security headers
(:mod:`dagkeeper.api.security_headers`).
"""

from __future__ import annotations

import os
import socket

from flask import Flask, current_app, request

from dagkeeper.api import security_headers
from dagkeeper.api.errors import abort
from dagkeeper.config import load_settings

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
DEFAULT_BODY_LIMIT = 64 * 1024
BODY_ROOM = 16 * 1024  # for the fields besides conf in a trigger body
BODY_LIMITS = {"task_instances.clear_task_instances": 512 * 1024}  # 1,000 run ids and more
WILDCARD_BINDS = ("0.0.0.0", "::", "")


def allowed_hosts(bind: str | None = None) -> frozenset[str]:
    """The Host names answered: the configured ones, else loopback plus the bind address.

    Binding to every interface (``0.0.0.0``) adds this machine's host names.
    """
    configured = load_settings().allowed_hosts
    if configured:
        return frozenset(name.lower() for name in configured)
    names = set(LOOPBACK_NAMES)
    host = _bind_host(bind if bind is not None else os.environ.get("DAGKEEPER_BIND", ""))
    if host in WILDCARD_BINDS:
        names.update({socket.gethostname().lower(), socket.getfqdn().lower()})
    else:
        names.add(host.lower())
    return frozenset(names)


def _bind_host(bind: str) -> str:
    """``127.0.0.1:8080`` -> ``127.0.0.1``; ``[::1]:8080`` -> ``::1``; ``unix:/p`` -> ``localhost``."""
    if bind.startswith("unix:"):
        return "localhost"
    if bind.startswith("["):
        return bind[1 : bind.find("]")]
    return bind.rsplit(":", 1)[0] if ":" in bind else bind


def _host_name(header: str) -> str:
    """``example.org:8080`` -> ``example.org``; ``[::1]:80`` -> ``::1``."""
    if header.startswith("["):
        return header[1 : header.find("]")].lower()
    return header.rsplit(":", 1)[0].lower() if header.count(":") == 1 else header.lower()


CONF_ENDPOINTS = (
    "dag_runs.trigger_run",
    "backfills.create",
    "backfills.dry_run",
)  # carry a run conf


def body_limit(endpoint: str | None) -> int:
    if endpoint in CONF_ENDPOINTS:
        return load_settings().max_conf_bytes + BODY_ROOM
    return BODY_LIMITS.get(endpoint or "", DEFAULT_BODY_LIMIT)


def _check() -> None:
    allowed = current_app.extensions["dagkeeper_allowed_hosts"]
    if "*" not in allowed and _host_name(request.host) not in allowed:
        abort(400, "this server does not answer for that Host; see DAGKEEPER_ALLOWED_HOSTS")
    if request.routing_exception is not None:
        raise request.routing_exception  # 404 / 405 before anything about the body
    if (
        "\x00" in request.path
        or "\x00" in request.query_string.decode("latin-1")
        or any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True))
    ):
        abort(400, "NUL characters are not allowed in the path or query")
    if request.method in ("POST", "PATCH", "PUT"):
        limit = body_limit(request.endpoint)
        if (request.content_length or 0) > limit:
            abort(413, f"request body over {limit} bytes")
        if not request.is_json:
            abort(415, "send the request body as application/json")
        request.max_content_length = limit  # also holds for a chunked body with no length


def register(app: Flask) -> None:
    app.extensions["dagkeeper_allowed_hosts"] = allowed_hosts(app.config.get("BIND"))
    app.before_request(_check)
    security_headers.register(app)

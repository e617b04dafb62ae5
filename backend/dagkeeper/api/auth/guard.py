"""The per-request check: who is asking, and may they call this endpoint on this DAG.

Every endpoint needs a logged-in caller unless marked :data:`PUBLIC`; reads
need ``viewer`` and writes ``user`` unless the view says otherwise with
:func:`requires`, so a new endpoint is protected before anyone thinks of it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request

from dagkeeper.accounts.identity import OPEN, Identity, from_bearer_token, from_session_cookie
from dagkeeper.accounts.sessions import COOKIE_NAME
from dagkeeper.api.auth.audit import audit_refusal
from dagkeeper.api.errors import abort, not_found, problem_response
from dagkeeper.api.request_cycle import change_token, connection, session
from dagkeeper.config import load_settings
from dagkeeper.models import Role, utcnow
from dagkeeper.models.access import dag_access, editable_dag_ids

PUBLIC = "public"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_ENDPOINTS = frozenset({"static", "api-docs.openapi_json"})
PUBLIC_BLUEPRINTS = frozenset({"spa", "docs", "health"})


def requires(role: str) -> Callable:
    """Mark a view's minimum role (a role name or :data:`PUBLIC`); put it under the route."""

    def mark(view: Callable) -> Callable:
        view.required_role = role
        return view

    return mark


def current_identity() -> Identity | None:
    return g.get("identity")


def readable_by() -> tuple[str, ...] | None:
    """The caller's principals for per-DAG grants; None: every DAG."""
    return g.identity.principals


def editable_among(dag_ids: list[str]) -> set[str]:
    """Which of ``dag_ids`` the caller may trigger, clear, mark, pause and annotate.

    The same rule the guard applies to writes (role ``user`` or higher, and an
    edit grant on a DAG that has grants), for a whole page in one read; the
    answer depends only on ``g.permission_key``, which keys every cached response.
    """
    identity = g.identity
    if identity is None or not identity.may(Role.USER):
        return set()
    if identity.principals is None:
        return set(dag_ids)
    return editable_dag_ids(session(), dag_ids, identity.principals) if dag_ids else set()


def role_of(view: Callable, endpoint: str, method: str) -> str:
    """The minimum role of ``endpoint`` (or PUBLIC): its mark, else by blueprint and method."""
    marked = getattr(view, "required_role", None)
    if marked is not None:
        return marked
    if endpoint in PUBLIC_ENDPOINTS or endpoint.split(".", 1)[0] in PUBLIC_BLUEPRINTS:
        return PUBLIC
    return Role.VIEWER if method in READ_METHODS else Role.USER


def _resolve() -> Identity | None:
    now = utcnow()
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return from_bearer_token(connection(), header[7:].strip(), now, change_token())
    cookie = request.cookies.get(COOKIE_NAME)
    if cookie:
        settings = current_app.config["DAGKEEPER"]
        return from_session_cookie(connection(), cookie, now, settings, change_token())
    return None


def _foreign_origin() -> bool:
    """A cookie-authenticated write from another site's page (CSRF defence in depth).

    SameSite cookies and JSON-only bodies already stop form posts; a browser
    that sends Origin tells us for sure.
    """
    origin = request.headers.get("Origin")
    return bool(origin) and urlsplit(origin).netloc != request.host


def refuse(status: int, detail: str):
    body, status, headers = problem_response(status, detail)
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="dagkeeper"'
    return body, status, headers


def _guard():
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no such route: the 404/405 handlers answer
    if not current_app.config["DAGKEEPER"].auth:
        g.identity, g.permission_key = OPEN, OPEN.permission_key
        return None
    minimum = role_of(current_app.view_functions[endpoint], endpoint, request.method)
    if minimum == PUBLIC:  # answered alike for everyone: no credential is even read
        g.identity, g.permission_key = None, "public"
        return None
    identity = _resolve()
    g.identity = identity
    g.permission_key = identity.permission_key if identity else "anonymous"
    if identity is None:
        return refuse(401, "log in, or send an API token as 'Authorization: Bearer <token>'")
    writes = request.method not in READ_METHODS
    if writes and identity.via == "session" and _foreign_origin():
        return refuse(403, "cross-site request refused")
    if not identity.may(minimum):
        if writes:
            audit_refusal(f"needs role {minimum}")
        return refuse(403, f"this needs the {minimum} role; you are {identity.role}")
    dag_id = (request.view_args or {}).get("dag_id")
    if dag_id is not None:
        require_dag_access(dag_id, edit=writes)
    return None


def require_dag_access(dag_id: str, *, edit: bool) -> None:
    """The per-DAG grant check: 404 when the caller may not read ``dag_id``, 403 (audited)
    when ``edit`` and they may not change it.

    The guard applies it to a ``dag_id`` in the path; a view applies it to a DAG
    named in a body or found through another row (a backfill's).
    """
    identity = g.identity
    if identity is None or identity.principals is None:
        return
    can_read, can_edit = dag_access(session(), dag_id, identity.principals)
    if not can_read:
        not_found(f"DAG {dag_id!r}")
    if edit and not can_edit:
        audit_refusal("no edit grant on this DAG")
        abort(403, f"you may read DAG {dag_id!r} but not change it")


def register(app: Flask) -> None:
    """Hook the guard in; call before the request cycle registers its own hooks."""
    app.config.setdefault("DAGKEEPER", load_settings())
    app.before_request(_guard)

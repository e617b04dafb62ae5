"""Every error, whatever raised it, leaves as ``application/problem+json`` (RFC 9457).

Validation errors name the offending fields under ``errors`` with dotted
paths (``conf.count``); a database that cannot be reached is a 503 the
client may retry, never a 500. A 503 says "retry", so it is sent only when a
new connection really fails: a driver error while the database answers is
this server's fault (a 500), not a reason for a client to retry forever.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

from flask import Flask, json
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES

from dagkeeper import db

PROBLEM_TYPE = "application/problem+json"
DATABASE_ERRORS = (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError)

log = logging.getLogger(__name__)


class Problem(HTTPException):
    """An HTTP error carrying a detail and optional per-field errors."""

    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None):
        super().__init__(detail)
        self.code = status
        self.detail = detail
        self.errors = errors


def abort(status: int, detail: str, errors: dict[str, list[str]] | None = None) -> NoReturn:
    raise Problem(status, detail, errors)


def not_found(what: str) -> NoReturn:
    abort(404, f"{what} not found")


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into ``{"a.b": [...]}``."""
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": list(messages)}
    return {prefix or "_schema": [str(messages)]}


def problem_response(status: int, detail: str, errors: dict[str, list[str]] | None = None):
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return json.dumps(body), status, {"Content-Type": PROBLEM_TYPE}


def handle_http_exception(error: HTTPException):
    if isinstance(error, Problem):
        return problem_response(error.code, error.detail, error.errors)
    data = getattr(error, "data", None) or {}
    if "messages" in data:  # webargs: {"query": {...}} / {"json": {...}}; the location is noise
        errors: dict[str, list[str]] = {}
        for location_messages in data["messages"].values():
            errors.update(flatten(location_messages))
        return problem_response(400, "The request is not valid; see errors.", errors)
    body, status, headers = problem_response(error.code or 500, error.description or error.name)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return body, status, headers


def handle_database_error(error: DBAPIError):
    if isinstance(error, PoolTimeoutError):  # every connection of this worker is busy
        return problem_response(503, "the server is busy; retry shortly")
    try:
        db.probe_write()
    except DATABASE_ERRORS:
        log.warning("database unreachable: %s", error)
        return problem_response(503, "database unreachable; retry shortly")
    return handle_unexpected(error)


def handle_unexpected(error: Exception):
    log.exception("unhandled error", exc_info=error)
    return problem_response(500, InternalServerError.description)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    for error in DATABASE_ERRORS:
        app.register_error_handler(error, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)

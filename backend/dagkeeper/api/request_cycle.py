"""What happens around every request: one read session, ETags, the response cache, worker header.

Host, method and body-size checks come first, in :mod:`dagkeeper.api.hardening`.

The ETag of a GET is the database change token plus a hash of the path and
query, read with one indexed query *before* the view runs, so a browser
revalidating an unchanged view costs one read and a 304. The same token
validates this worker's response cache (:mod:`dagkeeper.api.response_cache`):
a body is reused only while the token it was built under is still current, so
no request is ever answered from a stale state (DESIGN.md invariant 1).
A request with ``Cache-Control: no-cache`` skips the cache (benchmarks use it
to measure the uncached path). Both the ETag and the cache key include the
caller's permission key (set by :mod:`dagkeeper.api.auth`), so a body built
for an admin is never sent to a viewer (DESIGN.md invariant 8).

Bodies of 1 KB and more are sent br- or gzip-compressed when the client
accepts it (:mod:`dagkeeper.api.compression`); a cached body keeps its
compressed variants beside it, and the ETag carries the encoding as a suffix.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

from flask import Flask, Response, current_app, g, request
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from dagkeeper import db
from dagkeeper.api import compression
from dagkeeper.api.response_cache import Entry, ResponseCache
from dagkeeper.models.change import current_token

WORKER_HEADER = "X-Dagkeeper-Worker"
MAX_BODY_BYTES = 1024 * 1024  # no body is read beyond this, whatever the endpoint
CACHE_BYTES = 32 * 1024 * 1024

# Endpoints whose ETag is the change token; the others manage their own
# (logs change without a token bump; /ui/changes compares the token itself).
TOKEN_ETAG_BLUEPRINTS = frozenset(
    {"dags", "dag_runs", "task_instances", "import_errors", "ui", "diff"}
)
OWN_ETAG_ENDPOINTS = frozenset({"task_instances.get_log", "ui.changes"})


def connection() -> Connection:
    """This request's read connection; its transaction is the request's one snapshot.

    The change token and the caller's credential are read on it directly, and the
    view's session (:func:`session`) joins it, so a request answered from the
    response cache never builds an ORM session at all.
    """
    if "db_connection" not in g:
        g.db_connection = db.engine().connect()
    return g.db_connection


def session() -> Session:
    """This request's read session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = db.read_session(bind=connection())
    return g.db_session


def change_token() -> int:
    """The database change token, read once per request on its read connection, first.

    The guard resolves credentials under it (``accounts.identity``) and the ETag
    check below uses the same value, so a request reads it once.
    """
    if "change_token" not in g:
        g.change_token = current_token(connection())
    return g.change_token


def end_reads() -> None:
    """Close the read session and connection so the next read sees this request's own writes.

    On SQLite an open read transaction keeps its snapshot from before the write.
    """
    g.pop("change_token", None)  # read in that transaction
    _close_reads()()


def hand_over_session() -> Callable[[], None]:
    """Keep this request's reads open past teardown; returns their close (for streaming).

    A streamed body is read from the session after the view returned, when
    teardown has already run.
    """
    return _close_reads()


def _close_reads() -> Callable[[], None]:
    """Take the read session and connection off the request; a call that closes both."""
    opened, connected = g.pop("db_session", None), g.pop("db_connection", None)

    def close() -> None:
        if opened is not None:
            opened.close()
        if connected is not None:
            connected.close()

    return close


def _close_session(_error: BaseException | None) -> None:
    end_reads()


def _cache_key() -> str:
    """The request as cached: who may see what, and which path and query."""
    return f"{g.get('permission_key', '')}|{request.full_path}"


def token_etag(token: int) -> str:
    digest = hashlib.blake2b(_cache_key().encode(), digest_size=8).hexdigest()
    return f"{token}-{digest}"


def not_modified(etag: str) -> Response | None:
    """A 304 if the client already holds ``etag`` plain or in the encoding it asks for now."""
    g.etag = etag
    for held in (compression.etag_for(etag, compression.choose(request)), etag):
        if request.if_none_match.contains_weak(held):
            response = current_app.response_class(status=304)
            response.set_etag(held, weak=True)
            return response
    return None


def _check_request() -> Response | None:
    if (
        request.method == "GET"
        and request.blueprint in TOKEN_ETAG_BLUEPRINTS
        and request.endpoint not in OWN_ETAG_ENDPOINTS
    ):
        token = change_token()
        g.cache_token = token
        return not_modified(token_etag(token)) or _cached(token)
    return None


def _cached(token: int) -> Response | None:
    if request.cache_control.no_cache:
        return None
    entry = _response_cache().get(_cache_key(), token)
    if entry is None:
        return None
    del g.cache_token  # a hit is not stored again
    g.cache_entry = entry
    return current_app.response_class(entry.body, mimetype=entry.mimetype)


def _response_cache() -> ResponseCache:
    return current_app.extensions["dagkeeper_response_cache"]


def _finish_response(response: Response) -> Response:
    response.headers[WORKER_HEADER] = str(os.getpid())
    response.vary.add("Accept-Encoding")
    entry = g.pop("cache_entry", None)
    token = g.pop("cache_token", None)
    cacheable = not (response.direct_passthrough or response.is_streamed)
    if token is not None and response.status_code == 200 and cacheable:
        entry = Entry(token, response.get_data(), response.mimetype)
        _response_cache().put(_cache_key(), entry)
    encoding = _encode(response, entry)
    etag = g.get("etag")
    if etag is not None and response.status_code == 200:
        response.set_etag(compression.etag_for(etag, encoding), weak=True)
    if etag is not None and response.status_code in (200, 304):
        response.headers["Cache-Control"] = "no-cache"  # a 304 keeps the ETag it matched
    return response


def _encode(response: Response, entry: Entry | None) -> str | None:
    """Compress a 200's body if the client accepts it; the encoding used, or None."""
    encoding = compression.choose(request)
    if encoding is None or response.status_code != 200:
        return None
    if not compression.worth_compressing(response):
        return None
    if entry is not None:
        body = entry.encoded(encoding, compression.compress)
    else:
        body = compression.compress(response.get_data(), encoding)
    compression.apply(response, encoding, body)
    return encoding


def register(app: Flask) -> None:
    app.config.setdefault("MAX_CONTENT_LENGTH", MAX_BODY_BYTES)
    app.extensions["dagkeeper_response_cache"] = ResponseCache(CACHE_BYTES)
    app.before_request(_check_request)
    app.after_request(_finish_response)
    app.teardown_request(_close_session)

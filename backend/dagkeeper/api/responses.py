"""Plain-dict JSON responses for the hot paths (shaped exactly as the schemas document).

Marshmallow validates what comes in; what goes out is built from rows into
dicts (by :mod:`dagkeeper.api.shapes`, from the response schemas) and encoded
once, because dumping thousands of objects through schemas costs more than
the queries.

A collection (``{"dag_runs": [...], "total_entries": n}``) is encoded item by
item from rows read in batches; once it passes ``STREAM_AFTER`` bytes the rest
is streamed, so a page of large rows costs the worker one batch of memory, not
the whole page (the response cache keeps only the smaller, whole bodies).

Encoding never fails on stored data (DESIGN.md invariant 7): rows written by
older versions may hold what input validation now refuses (``NaN`` in a
``conf``, a lone surrogate in a note). The fast path encodes strictly; if that
fails, the data is sanitised (non-finite numbers become ``null``, lone
surrogates U+FFFD) and encoded again, so one bad row cannot break a listing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import orjson
from flask import Response, current_app

from dagkeeper.api.request_cycle import hand_over_session

STREAM_AFTER = 1024 * 1024  # a body larger than this is streamed, never held whole
SURROGATE = re.compile("[\ud800-\udfff]")
NON_FINITE = re.compile(r"NaN|Infinity")


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def sanitise(value: Any) -> Any:
    """``value`` with non-finite floats as ``None`` and lone surrogates as U+FFFD."""
    if isinstance(value, str):
        return SURROGATE.sub("\ufffd", value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {sanitise(str(k)): sanitise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [sanitise(v) for v in value]
    return value


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode(data: Any) -> bytes:
    """Strict JSON bytes of ``data``, sanitised only when the strict attempt fails.

    orjson first: encoding was a sixth of the DAG list's CPU with ``json.dumps``
    (docs/PROFILE.md). What orjson refuses (a lone surrogate, an integer past 64
    bits) takes the standard library's path; a non-finite float it writes as
    ``null``, as sanitising does.
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        pass
    try:
        return _dumps(data).encode()
    except (ValueError, UnicodeEncodeError):
        return _dumps(sanitise(data)).encode()


def encode_raw(text: str) -> bytes:
    """Stored JSON text as it is, unless it holds what strict JSON cannot (then re-encoded)."""
    if NON_FINITE.search(text) is None:
        try:
            return text.encode()
        except UnicodeEncodeError:
            pass
    return encode(json.loads(text))


def json_response(data: Any, status: int = 200, raw: str | None = None) -> Response:
    """Encode ``data`` once; ``raw`` is already-encoded JSON text sent as it is."""
    body = encode_raw(raw) if raw is not None else encode(data)
    return current_app.response_class(body, status=status, mimetype="application/json")


def collection_response(key: str, items: Iterable[Any], total: int) -> Response:
    """``{key: [items...], "total_entries": total}``, streamed once it grows past STREAM_AFTER."""
    items = iter(items)
    parts: list[bytes] = []
    size = 0
    for item in items:
        parts.append(encode(item))
        size += len(parts[-1])
        if size > STREAM_AFTER:
            body = _stream(key, parts, items, total, hand_over_session())
            return current_app.response_class(body, mimetype="application/json")
    return current_app.response_class(_whole(key, parts, total), mimetype="application/json")


def _whole(key: str, parts: list[bytes], total: int) -> bytes:
    return b"".join((b'{"%s":[' % key.encode(), b",".join(parts), b'],"total_entries":%d}' % total))


def _stream(
    key: str, parts: list[bytes], rest: Iterator[Any], total: int, close: Callable[[], None]
) -> Iterator[bytes]:
    """The rest of the body, read from the request's session, which it closes at the end."""
    try:
        yield b'{"%s":[' % key.encode() + b",".join(parts)
        parts.clear()
        for item in rest:
            yield b"," + encode(item)
        yield b'],"total_entries":%d}' % total
    finally:
        close()

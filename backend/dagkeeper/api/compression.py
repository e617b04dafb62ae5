"""Content-Encoding for API bodies: br or gzip as the client accepts, compressed once per cached body.

Our structure and grid documents are large and repetitive JSON; loopback hides
their size, a VPN does not. The encoding is chosen from ``Accept-Encoding``
with its q-values (``q=0`` refuses, ``identity`` or nothing means plain).
A body built under a change token is stored in the response cache
(:mod:`dagkeeper.api.response_cache`) together with its compressed variants,
so each variant is compressed once per body, not once per request; the
ETag gets the encoding as a suffix, since the bytes differ per encoding.
Bodies under :data:`MIN_BYTES` and types that are already compressed are
sent as they are. Static assets are precompressed at build time and picked
by :func:`dagkeeper.api.spa.asset`.
"""

from __future__ import annotations

import gzip

import brotli
from flask import Request, Response

MIN_BYTES = 1024
ENCODINGS = ("br", "gzip")  # preferred first when the client rates them equally
COMPRESSIBLE = ("application/json", "application/problem+json", "text/", "application/javascript")


def choose(req: Request) -> str | None:
    """The best encoding the client accepts, or None for the plain body."""
    rated = {value.lower(): quality for value, quality in req.accept_encodings}
    best, best_q = None, 0.0
    for name in ENCODINGS:
        # A coding named outright overrides "*" (RFC 9110 12.5.3), so "gzip;q=0, *" refuses gzip.
        q = rated.get(name, rated.get("*", 0.0))
        if q > best_q:
            best, best_q = name, q
    return best


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        # Quality 5 is a fraction of quality 11's time for most of its size gain.
        return brotli.compress(body, quality=5)
    return gzip.compress(body, compresslevel=6, mtime=0)


def worth_compressing(response: Response) -> bool:
    return (
        not response.direct_passthrough
        and not response.is_streamed
        and "Content-Encoding" not in response.headers
        and response.mimetype.startswith(COMPRESSIBLE)
        and len(response.get_data()) >= MIN_BYTES
    )


def apply(response: Response, encoding: str, body: bytes) -> None:
    """Put ``body`` (already compressed with ``encoding``) on ``response``."""
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding


def etag_for(etag: str, encoding: str | None) -> str:
    return f"{etag}-{encoding}" if encoding else etag

"""A per-worker cache of GET response bodies, validated against the database on every request.

An entry is keyed by the request's path and query and stamped with the change
token read at the start of the request that built it. A later request reads
the token again (the one indexed read every GET already makes for its ETag)
and reuses the body only if the token is unchanged, so nothing stale can be
served (DESIGN.md invariant 1): a change anywhere advances the token and turns
every entry into a miss. The body was built from reads made after its token
was read, so it is never older than its stamp.

Bounded by total bytes, least recently used first out, so worker memory stays
flat however many DAGs there are. A worker serves requests on several threads,
so every access holds a lock.

An entry also keeps the compressed variants of its body
(:mod:`dagkeeper.api.compression`), made on first request for each encoding,
so a body is compressed once however often it is served. The byte budget
counts plain bodies only; the variants add a small fraction to it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    token: int
    body: bytes
    mimetype: str
    variants: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    def encoded(self, encoding: str, compress: Callable[[bytes, str], bytes]) -> bytes:
        """The body in ``encoding``, compressed on first use and kept with the entry."""
        body = self.variants.get(encoding)
        if body is None:
            # Two threads racing here both compress once; the dict keeps one result.
            body = self.variants.setdefault(encoding, compress(self.body, encoding))
        return body


class ResponseCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, token: int) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.token != token:
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        if len(entry.body) > self.max_bytes // 4:
            return  # one huge body must not flush everything else
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = entry
            self._bytes += len(entry.body)
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    @property
    def size_bytes(self) -> int:
        return self._bytes

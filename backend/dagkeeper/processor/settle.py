"""When a DAG file is complete: the file system's own signals (DESIGN.md invariant 9).

Editors, ``cp``, ``rsync --inplace`` and network copies truncate a file and
write it over tens to hundreds of milliseconds. A file is read only when
nothing says a writer is still at it:

- where the platform reports close-after-write (inotify), a file written to
  since its last close is still being written; a close (or a rename onto the
  name) is proof that the writer finished;
- without such proof (no events: NFS, a full rescan), the file must have been
  quiet (mtime and ctime) for the settle window;
- the file's stat must be the same before and after it is read and after it
  is parsed, or the bytes read may be a mix.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

UNCLOSED_LIMIT = 4  # settle windows of stillness after which an unclosed write counts as done
EVENT_LAG = 0.05  # seconds within which a write's event has reached the tracker


@dataclass(frozen=True)
class FileState:
    """The stat fields that change whenever a file's bytes do."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, path: str | Path) -> FileState | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def quiet_for(self) -> float:
        """Seconds since the file last changed."""
        return time.time() - max(self.mtime_ns, self.ctime_ns) / 1e9


class WriteTracker:
    """What file-system events said about writers, per path.

    Fed from the observer's thread as events arrive, read by the pass.
    """

    def __init__(self, settle: float):
        self.settle = settle
        self._lock = threading.Lock()
        self._writing: dict[str, float] = {}  # path -> time of a write not yet closed
        self._closed: set[str] = set()  # paths whose writer closed (or that were renamed in)

    def written(self, path: str) -> None:
        with self._lock:
            self._writing[path] = time.monotonic()
            self._closed.discard(path)

    def finished(self, path: str) -> None:
        with self._lock:
            self._writing.pop(path, None)
            self._closed.add(path)

    def is_writing(self, path: str) -> bool:
        """A write to ``path`` was seen and no close yet (a lost close expires)."""
        with self._lock:
            since = self._writing.get(path)
            if since is not None and time.monotonic() - since > self.settle * UNCLOSED_LIMIT:
                del self._writing[path]
                since = None
            return since is not None

    def proved_complete(self, path: str) -> bool:
        with self._lock:
            return path in self._closed

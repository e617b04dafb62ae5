"""Everything a try prints goes to ``task_log`` while it runs, so the UI can tail it.

The process's stdout and stderr file descriptors are redirected into a pipe
(so output of child processes and C code is caught too, not just Python's
``print``); a reader thread decodes it into a buffer that a shipper thread
writes out as chunks every half second or every 4 KB. The same thread
refreshes the try's heartbeat, and notices when the heartbeat finds the row
no longer running at this try (cleared, marked): the try is *fenced*.
"""

from __future__ import annotations

import codecs
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from dagkeeper import db
from dagkeeper.models import TaskInstance, TaskLog, TaskState, utcnow

FLUSH_INTERVAL = 0.5
FLUSH_SIZE = 4096
STOP_WAIT = 10.0
HOLD_PARTIAL = 65536
LOG_FORMAT = "[%(asctime)s] {%(name)s} %(levelname)s - %(message)s"
_INSERT_CHUNK = insert(TaskLog.__table__)  # built once, compiled in the zygote (runner.warm_up)


def write_chunk(session: Session, chunk: TaskLog) -> None:
    """Insert a chunk from :meth:`LogShipper.take_chunk` in the caller's transaction.

    A Core insert: the ORM would plan a unit of work and build its statement in
    every runner, all while holding the write lock that every runner waits for.
    """
    session.execute(
        _INSERT_CHUNK,
        {
            "task_instance_id": chunk.task_instance_id,
            "try_number": chunk.try_number,
            "offset": chunk.offset,
            "content": chunk.content,
        },
    )


class LogShipper:
    """Buffers a try's log and writes it as chunks at character offsets; heartbeats too."""

    def __init__(
        self,
        ti_id: int,
        try_number: int,
        heartbeat_interval: float,
        redact: Callable[[str], str] = str,
        offset: int = 0,  # a paused try that continues appends to its log
    ):
        self.ti_id = ti_id
        self.redact = redact  # hides secret values before anything is stored
        self.try_number = try_number
        self.heartbeat_interval = heartbeat_interval
        self.offset = offset
        self._buffer: list[str] = []
        self._size = 0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._ship, name="log-shipper", daemon=True)
        self.fenced = threading.Event()  # the row moved on: this try must stop
        self.last_beat = time.monotonic()  # when the last heartbeat that landed was taken

    def write(self, text: str) -> None:
        if not text:
            return
        with self._lock:
            self._buffer.append(text)
            self._size += len(text)
            full = self._size >= FLUSH_SIZE
        if full:
            self._wake.set()

    def start(self) -> LogShipper:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread; what is still buffered goes out with :meth:`take_chunk`."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=STOP_WAIT)  # it may hang on an unreachable database

    def take_chunk(self, final: bool = True) -> TaskLog | None:
        """The buffered text as the next chunk (the caller adds it to its transaction).

        Unless ``final``, a trailing partial line stays buffered (up to
        ``HOLD_PARTIAL`` characters), so a secret value is never split across
        two chunks where redaction could not see it whole.
        """
        with self._lock:
            text = "".join(self._buffer)
            keep = ""
            if not final and len(text) < HOLD_PARTIAL:
                cut = text.rfind("\n") + 1
                text, keep = text[:cut], text[cut:]
            self._buffer, self._size = ([keep], len(keep)) if keep else ([], 0)
        if not text:
            return None
        text = self.redact(text)
        chunk = TaskLog(
            task_instance_id=self.ti_id,
            try_number=self.try_number,
            offset=self.offset,
            content=text,
        )
        self.offset += len(text)
        return chunk

    def _ship(self) -> None:
        last_sent = time.monotonic()
        while not self._stop.is_set():
            self._wake.wait(FLUSH_INTERVAL)
            self._wake.clear()
            if self._stop.is_set():
                return
            due = time.monotonic() - last_sent >= self.heartbeat_interval
            try:
                self._flush(due)
            except Exception:  # a busy database must not kill the task; retry next round
                logging.getLogger(__name__).exception("could not write the task log")
                continue
            if due:
                last_sent = time.monotonic()

    def _flush(self, heartbeat: bool) -> None:
        chunk = self.take_chunk(final=False)
        if chunk is None and not heartbeat:
            return
        taken = time.monotonic()
        try:
            with db.transaction() as session:
                if chunk is not None:
                    write_chunk(session, chunk)
                if heartbeat:
                    renewed = session.execute(
                        update(TaskInstance)
                        .where(
                            TaskInstance.id == self.ti_id,
                            TaskInstance.try_number == self.try_number,
                            TaskInstance.state == TaskState.RUNNING,
                        )
                        .values(last_heartbeat_at=utcnow())
                        .execution_options(synchronize_session=False)
                    )
        except Exception:
            if chunk is not None:
                self.put_back(chunk)
            raise
        if heartbeat:
            if renewed.rowcount:
                self.last_beat = taken
            else:
                self.fenced.set()

    def put_back(self, chunk: TaskLog) -> None:
        """Return an unwritten chunk to the front of the buffer, keeping offsets gap-free."""
        with self._lock:
            self._buffer.insert(0, chunk.content)
            self._size += len(chunk.content)
            self.offset = chunk.offset


@contextmanager
def captured_output(write: Callable[[str], None]) -> Iterator[None]:
    """Send file descriptors 1 and 2 (and the logging module) to ``write`` meanwhile."""
    sys.stdout.flush()
    sys.stderr.flush()
    read_fd, write_fd = os.pipe()
    saved = os.dup(1), os.dup(2)
    os.dup2(write_fd, 1)
    os.dup2(write_fd, 2)
    os.close(write_fd)
    reader = threading.Thread(target=_pump, args=(read_fd, write), name="log-reader", daemon=True)
    reader.start()
    line_buffered = sys.stdout.line_buffering, sys.stderr.line_buffering
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    # Log records go into the same pipe (not via sys.stderr, which a test runner may replace),
    # so they interleave with the task's output in the order they happened.
    log_stream = os.fdopen(os.dup(2), "w", buffering=1, encoding="utf-8", errors="replace")
    handler = logging.StreamHandler(log_stream)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    previous_level = root.level
    root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        log_stream.close()
        root.setLevel(previous_level)
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout.reconfigure(line_buffering=line_buffered[0])
        sys.stderr.reconfigure(line_buffering=line_buffered[1])
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])
        # A background process the task left behind may hold the pipe open: don't wait forever.
        reader.join(timeout=2.0)


def _pump(read_fd: int, write: Callable[[str], None]) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    try:
        while data := os.read(read_fd, 65536):
            write(decoder.decode(data))
        write(decoder.decode(b"", final=True))
    finally:
        os.close(read_fd)

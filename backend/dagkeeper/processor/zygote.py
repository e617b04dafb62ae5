"""The zygote: one warm process per pass that forks, watches and reaps a child per DAG file.

Launching each child through the multiprocessing forkserver cost the parent a
pickled process object, a pipe and a finalizer per file, and the child its
unpickling and bootstrap (a third of its CPU time, profiled). The zygote is
launched that way once per pass; it is itself a fork of the warm forkserver and
imports no user code, so each child it forks with ``os.fork`` still starts from
a pristine, preloaded interpreter, and nothing one file does reaches another.

It also supervises: it keeps ``workers`` children running, kills one at its
deadline, and relays each outcome to the parent. A launch then never waits for
the parent's interpreter lock, which the parent holds while it publishes.
Each outcome is ``(path, payload or None, failure or None, exitcode, seconds)``;
when the parent closes the connection, the zygote kills what is left and exits.

The zygote starts without SQLAlchemy and the models: each ``fork()`` copies the
page tables of everything it holds, and most files never touch the database.
Once a child reports that its file did (a parse-time Variable read, say), the
zygote imports them, with the database driver, so the next children inherit them
instead of each importing them again.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from dagkeeper.processor.child import USED_DATABASE, database_loaded, parse_in_child
from dagkeeper.processor.lifeline import die_with_parent

EXIT_POLL = 0.05  # seconds between reaping checks where no pidfd tells of an exit


@dataclass
class _Running:
    path: str
    result: Connection  # read end of the child's result pipe
    exited: int  # a pidfd, readable once the child exited (-1 where there is none)
    started: float
    deadline: float
    payload: bytes | None = None
    closed: bool = False  # the child closed its end without sending
    used_database: bool = False

    def read(self) -> None:
        """Take the whole message (blocking only while the child is still writing it)."""
        try:
            message = self.result.recv_bytes()
        except (EOFError, OSError):
            self.closed = True
        else:
            self.used_database = message[:1] == USED_DATABASE
            self.payload = message[1:]


def serve(conn: Connection, paths: list[str], workers: int, timeout: float, child_args: tuple):
    """Parse ``paths`` in children, ``workers`` at a time, sending each outcome on ``conn``.

    ``child_args`` are :func:`parse_in_child`'s arguments after the path.
    """
    forkserver = sys.modules.get("dagkeeper.processor.forkserver_ready")
    if forkserver is not None:  # preloaded: this process is a fork of the forkserver
        die_with_parent(forkserver.FORKSERVER_PID)
    gc.freeze()  # what this process built is shared with its children, never collected
    pending = deque(paths)
    running: dict[int, _Running] = {}
    try:
        while pending or running:
            while pending and len(running) < max(1, workers):
                path = pending.popleft()
                pid, child = _fork(conn, running, path, child_args, timeout)
                running[pid] = child
            _wait(conn, running)
            now = time.monotonic()
            for pid, child in list(running.items()):
                outcome = _outcome(pid, child, now, timeout)
                if outcome is not None:
                    del running[pid]
                    child.result.close()
                    if child.exited >= 0:
                        os.close(child.exited)
                    conn.send((child.path, child.payload, *outcome, now - child.started))
                    if child.used_database and not database_loaded():
                        _load_database(child_args[3])
    except (EOFError, OSError):
        pass  # the parent stopped listening: what still runs has no one to report to
    finally:
        for pid in running:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _load_database(url: str) -> None:
    """Import the models and the driver of ``url`` here, once, for every later child."""
    from sqlalchemy.engine import make_url

    import dagkeeper.models  # noqa: F401 -- imported for the children to inherit

    make_url(url).get_dialect().import_dbapi()
    gc.freeze()


def _fork(
    conn: Connection, running: dict[int, _Running], path: str, child_args: tuple, timeout: float
) -> tuple[int, _Running]:
    receive, send = os.pipe()
    zygote = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(receive)
            conn.close()
            for other in running.values():
                other.result.close()
                if other.exited >= 0:
                    os.close(other.exited)
            die_with_parent(zygote)
            parse_in_child(Connection(send, readable=False), path, *child_args)
        finally:
            os._exit(70)  # parse_in_child never returns; if it could not run, say so
    os.close(send)
    exited = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else -1
    started = time.monotonic()
    return pid, _Running(
        path, Connection(receive, writable=False), exited, started, started + timeout
    )


def _wait(conn: Connection, running: dict[int, _Running]) -> None:
    """Until a child sent, closed its pipe or exited, a deadline passed or the parent left."""
    handles: list = [conn]
    for child in running.values():
        handles += [] if child.closed or child.payload is not None else [child.result]
        handles += [child.exited] if child.exited >= 0 else []
    next_deadline = min(c.deadline for c in running.values())
    wait_for = min(0.5, max(0.0, next_deadline - time.monotonic()))
    if any(c.exited < 0 for c in running.values()):
        wait_for = min(wait_for, EXIT_POLL)
    ready = set(wait(handles, timeout=wait_for))
    if conn in ready:
        raise EOFError  # the parent never writes: it closed its end
    for child in running.values():
        if child.result in ready:
            child.read()


def _outcome(pid: int, child: _Running, now: float, timeout: float) -> tuple | None:
    """``(failure, exitcode)`` once the child is done with, else None."""
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        if child.payload is None and not child.closed and child.result.poll():
            child.read()  # it wrote, then exited before this loop looked at its pipe
        return None, os.waitstatus_to_exitcode(status)
    if child.deadline <= now and child.payload is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return f"timed out after {timeout:g} s", None
    return None

"""The task's code runs in a child of the runner, so the runner can always stop it.

The runner keeps the try's heartbeat and watches its row; the child imports
the DAG file and executes the task. When the row changes under the try
(cleared, marked) or the heartbeat cannot be renewed in time, the runner
kills the child's whole process group (the task and whatever it started):
SIGTERM, then SIGKILL after a grace period. The child also dies with the
runner (``PR_SET_PDEATHSIG``), so a killed runner never leaves its task
running unsupervised.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from dagkeeper import db

PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True)  # loaded here: a forked child must not dlopen


def _die_with_parent() -> None:
    with contextlib.suppress(AttributeError):
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class TaskProcess:
    """One forked child running ``work()``; its JSON-able return value comes back.

    Fork it before any other thread of the runner talks to the database, so
    the child inherits no lock or connection in use; the child leaves the
    parent's pooled connections alone and opens its own.
    """

    def __init__(self, work: Callable[[], dict[str, Any]]):
        read_fd, write_fd = os.pipe()
        parent = os.getpid()
        gc.freeze()  # the collector then leaves inherited objects alone: fewer pages copied
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_fd)
            self._child(work, write_fd, parent)
        os.close(write_fd)
        with contextlib.suppress(OSError):  # also here, so a kill right away finds the group
            os.setpgid(pid, pid)
        self.pid = pid
        self._read_fd = read_fd
        self._pidfd = os.pidfd_open(pid)
        self._payload = b""
        self._reading = True
        self.exit_code: int | None = None

    @staticmethod
    def _child(work: Callable[[], dict[str, Any]], write_fd: int, parent: int) -> None:
        code = 0
        try:
            os.setpgid(0, 0)  # its own group: the runner stops the task and all it started
            _die_with_parent()
            if os.getppid() != parent:  # the runner died before the line above
                os._exit(1)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            db.abandon_after_fork()
            data = json.dumps(work()).encode()
            while data:
                data = data[os.write(write_fd, data) :]
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s for the child to end (reading its result); True if it has."""
        if self.exit_code is not None:
            return True
        deadline = time.monotonic() + timeout
        while True:
            watched = [self._read_fd, self._pidfd] if self._reading else [self._pidfd]
            remaining = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select(watched, [], [], remaining)
            if self._read_fd in ready:
                chunk = os.read(self._read_fd, 65536)
                self._payload += chunk
                self._reading = bool(chunk)
            if self._pidfd in ready:
                _, status = os.waitpid(self.pid, 0)
                self._finish(status)
                return True
            if not ready:
                return False

    def _finish(self, status: int) -> None:
        with contextlib.suppress(BlockingIOError):
            os.set_blocking(self._read_fd, False)
            while chunk := os.read(self._read_fd, 65536):
                self._payload += chunk
        os.close(self._read_fd)
        os.close(self._pidfd)
        self.exit_code = os.waitstatus_to_exitcode(status)
        self._signal_group(signal.SIGKILL)  # whatever the task left behind

    def result(self) -> dict[str, Any] | None:
        """What ``work()`` returned; None if the child died before returning."""
        try:
            return json.loads(self._payload) if self._payload else None
        except ValueError:
            return None

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signum)

    def kill(self, grace: float) -> None:
        """SIGTERM the task's process group, SIGKILL it after ``grace`` s; return once it ended."""
        self._signal_group(signal.SIGTERM)
        if not self.wait(grace):
            self._signal_group(signal.SIGKILL)
            while not self.wait(1.0):
                self._signal_group(signal.SIGKILL)

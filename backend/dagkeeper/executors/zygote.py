"""A pre-imported process that forks one child per task: ``python -m dagkeeper.executors.zygote``.

Starting a fresh interpreter and importing SQLAlchemy, Jinja and the
authoring API costs far more than running a no-op task. The zygote imports
them once (the modules named on its command line, the task runner among
them), calls the runner's warm-up function (which leaves an engine with its
statement cache filled and no open connection), and forks a child per
request, which calls the runner's entry function. The executor names the entry as a string, so the scheduler process
itself never imports the runner or any DAG file.

Protocol, one JSON object per line: requests on stdin ``{"key": [...],
"args": [...]}``; events on stdout ``{"started": key, "pid": n}`` and
``{"exited": key, "pid": n, "code": c}`` (``c`` negative: killed by signal).
When its stdin closes the zygote waits for its running children and exits
(it ignores SIGTERM and SIGINT: its parent decides); if it is killed, they go
on and record their own outcome.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import selectors
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any


def _load(entry: str) -> Callable[..., Any]:
    module, _, name = entry.partition(":")
    return getattr(importlib.import_module(module), name)


def _child(entry: Callable[..., Any], args: list[Any], inherited: list[int]) -> None:
    """Run in the forked child: detach from the zygote's pipes, run the entry, exit."""
    signal.set_wakeup_fd(-1)
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)
    for fd in inherited:
        os.close(fd)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)  # stdout is the zygote's event channel; the runner captures its own
    code = 1
    try:
        code = int(entry(*args) or 0)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


class Zygote:
    def __init__(self, entry: Callable[..., Any]):
        self.entry = entry
        self.children: dict[int, Any] = {}
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        self.selector = selectors.DefaultSelector()

    def emit(self, event: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()

    def spawn(self, request: dict[str, Any]) -> None:
        inherited = [self.wake_r, self.wake_w, self.selector.fileno()]
        pid = os.fork()
        if pid == 0:
            _child(self.entry, request["args"], inherited)
        self.children[pid] = request["key"]
        self.emit({"started": request["key"], "pid": pid})

    def reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            key = self.children.pop(pid, None)
            if key is not None:
                self.emit({"exited": key, "pid": pid, "code": os.waitstatus_to_exitcode(status)})

    def drain(self) -> None:
        """Wait for the children still running, so none is left a zombie of a dead parent."""
        for pid in list(self.children):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)

    def serve(self) -> None:
        # Its parent stops it by closing stdin; a signal to the whole process group (Ctrl-C,
        # a supervisor's SIGTERM) must not kill it first and make the parent start another.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # only to wake the selector
        stdin = sys.stdin.fileno()
        self.selector.register(stdin, selectors.EVENT_READ)
        self.selector.register(self.wake_r, selectors.EVENT_READ)
        pending = b""
        while True:
            for key, _ in self.selector.select(timeout=1.0):
                if key.fd == self.wake_r:
                    while True:
                        try:
                            if not os.read(self.wake_r, 4096):
                                break
                        except BlockingIOError:
                            break
                    continue
                data = os.read(stdin, 65536)
                if not data:
                    self.drain()
                    return
                pending += data
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if line.strip():
                        self.spawn(json.loads(line))
            self.reap()


def main(argv: list[str]) -> None:
    """``zygote ENTRY WARM_UP MODULE...``: import the modules, call WARM_UP once, serve."""
    entry, warm_up, *preload = argv
    for name in preload:
        importlib.import_module(name)
    _load(warm_up)()
    gc.freeze()  # preloaded objects stay out of every child's collections: fewer pages copied
    Zygote(_load(entry)).serve()


if __name__ == "__main__":
    main(sys.argv[1:])

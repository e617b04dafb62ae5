"""A pre-imported process that forks one child per task: ``python -m dagkeeper.executors.zygote``.

Starting a fresh interpreter and importing SQLAlchemy, Jinja and the
authoring API costs far more than running a no-op task. The zygote imports
them once (the modules named on its command line, the task runner among
them), calls the runner's warm-up function (which leaves an engine with its
statement cache filled and no open connection), and forks a child per
request, which calls the runner's entry function. The executor names the entry as a string, so the scheduler process
itself never imports the runner or any DAG file.

With a PREPARE entry (the runner's ``preload_dag``), the zygote forks one
*template* per DAG: a child that calls PREPARE with the DAG id (importing the
DAG file, user code that never runs in the zygote itself) and then serves
that DAG's requests as a zygote of its own, so each runner starts with the
DAG already imported. Its events are passed on unchanged. A template that
fails to prepare, or dies, leaves its DAG's requests to the zygote's own
forks for ``TEMPLATE_RETRY_AFTER`` s: requests it had not started are started
directly, and runners it had started are reported ``{"lost": key}`` (they go
on and record their own outcome; the heartbeat check covers any that die). A
template idle for ``TEMPLATE_IDLE`` s, or older than ``TEMPLATE_MAX_AGE`` s, is
retired (stdin closed: it waits for its runners, reporting their exits); at
most ``MAX_TEMPLATES`` live at once, beyond that runners are forked directly.

Protocol, one JSON object per line: requests on stdin ``{"key": [...],
"args": [...]}``; events on stdout ``{"started": key, "pid": n}`` and
``{"exited": key, "pid": n, "code": c}`` (``c`` negative: killed by signal),
and ``{"lost": key}`` (see above).
When its stdin closes the zygote waits for its running children (reporting
their exits) and exits
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
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TEMPLATE_IDLE = 30.0  # seconds without a request before a template is retired
TEMPLATE_MAX_AGE = 300.0  # a newer template takes over: fewer tries import changed files afresh
TEMPLATE_RETRY_AFTER = 60.0  # after a template failed, its DAG's runners are forked directly
MAX_TEMPLATES = 8


def _load(entry: str) -> Callable[..., Any]:
    module, _, name = entry.partition(":")
    return getattr(importlib.import_module(module), name)


def _child(entry: Callable[..., Any], args: list[Any], inherited: list[int]) -> None:
    """Run in the forked child: detach from the zygote's pipes, run the entry, exit."""
    _detach(inherited)
    code = 1
    try:
        code = int(entry(*args) or 0)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def _detach(inherited: list[int]) -> None:
    """In a forked child: default signals, none of the zygote's descriptors, no stdin/stdout."""
    signal.set_wakeup_fd(-1)
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)
    for fd in inherited:
        if fd > 2:  # 0 and 1 are replaced below
            with contextlib.suppress(OSError):
                os.close(fd)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)  # stdout is the zygote's event channel; the runner captures its own
    os.close(devnull)


def _template(
    entry: Callable[..., Any], prepare: Callable[[str], None], dag_id: str,
    requests: int, events: int, inherited: list[int],
) -> None:  # fmt: skip
    """Run in a forked template: prepare ``dag_id``, then serve its requests; never returns."""
    _detach(inherited)
    code = 0
    try:
        prepare(dag_id)
        Zygote(entry, requests=requests, events=events).serve()
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


@dataclass
class _Template:
    """The zygote's side of one DAG's template process."""

    pid: int
    requests: int  # write end of its stdin
    events: int  # read end of its event channel
    started_at: float
    last_used: float
    pending: bytes = b""
    unstarted: dict[str, dict[str, Any]] = field(default_factory=dict)  # key JSON -> request
    running: set[str] = field(default_factory=set)  # key JSON of runners it started
    retiring: bool = False

    @property
    def fds(self) -> list[int]:
        return [self.requests, self.events]


class Zygote:
    def __init__(
        self,
        entry: Callable[..., Any],
        prepare: Callable[[str], None] | None = None,
        *,
        requests: int = 0,
        events: int = 1,
    ):
        self.entry = entry
        self.prepare = prepare
        self.requests = requests
        self.events = events
        self.children: dict[int, Any] = {}
        self.templates: dict[str, _Template] = {}  # dag id -> its live template
        self.retired: list[_Template] = []  # stdin closed, runners still ending
        self.direct_until: dict[str, float] = {}  # dag id -> no template before this time
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        self.selector = selectors.DefaultSelector()

    def emit(self, event: dict[str, Any]) -> None:
        self._write_events((json.dumps(event) + "\n").encode())

    def _write_events(self, data: bytes) -> None:
        while data:
            data = data[os.write(self.events, data) :]

    def _inherited(self) -> list[int]:
        fds = [self.wake_r, self.wake_w, self.selector.fileno(), self.requests, self.events]
        for template in [*self.templates.values(), *self.retired]:
            fds += template.fds
        return fds

    def spawn(self, request: dict[str, Any]) -> None:
        template = self._template_for(request["args"][0]) if self.prepare else None
        if template is not None:
            line = json.dumps(request).encode() + b"\n"
            try:
                while line:
                    line = line[os.write(template.requests, line) :]
            except OSError:  # it died: its events' end of file hands the request back
                pass
            template.unstarted[json.dumps(request["key"])] = request
            template.last_used = time.monotonic()
            return
        inherited = self._inherited()
        pid = os.fork()
        if pid == 0:
            _child(self.entry, request["args"], inherited)
        self.children[pid] = request["key"]
        self.emit({"started": request["key"], "pid": pid})

    def _template_for(self, dag_id: str) -> _Template | None:
        """The DAG's template, started if needed; None: fork its runners directly."""
        now = time.monotonic()
        template = self.templates.get(dag_id)
        if template is not None and now - template.started_at > TEMPLATE_MAX_AGE:
            self._retire(dag_id)
            template = None
        if template is not None or self.direct_until.get(dag_id, 0.0) > now:
            return template
        if len(self.templates) >= MAX_TEMPLATES:
            return None
        assert self.prepare is not None
        requests_r, requests_w = os.pipe()
        events_r, events_w = os.pipe()
        inherited = [*self._inherited(), requests_w, events_r]
        pid = os.fork()
        if pid == 0:
            _template(self.entry, self.prepare, dag_id, requests_r, events_w, inherited)
        os.close(requests_r)
        os.close(events_w)
        os.set_blocking(events_r, False)
        template = _Template(pid, requests_w, events_r, now, now)
        self.templates[dag_id] = template
        self.selector.register(events_r, selectors.EVENT_READ, dag_id)
        return template

    def _retire(self, dag_id: str) -> None:
        """Close the template's stdin: it ends once its runners have (their exits still come)."""
        template = self.templates.pop(dag_id)
        template.retiring = True
        os.close(template.requests)
        template.requests = -1
        self.retired.append(template)

    def _relay(self, dag_id: str, template: _Template) -> None:
        """Pass the template's events on; at its end of file, take back what it left undone."""
        ended = False
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(template.events, 65536):
                template.pending += chunk
            ended = True
        *lines, template.pending = template.pending.split(b"\n")
        for line in lines:
            if not line.strip():
                continue
            event = json.loads(line)
            if "started" in event:
                key = json.dumps(event["started"])
                template.unstarted.pop(key, None)
                template.running.add(key)
            elif "exited" in event:
                template.running.discard(json.dumps(event["exited"]))
            self._write_events(line + b"\n")
        if ended:
            self._end_template(dag_id, template)

    def _end_template(self, dag_id: str, template: _Template) -> None:
        self.selector.unregister(template.events)
        os.close(template.events)
        if template.requests >= 0:
            os.close(template.requests)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(template.pid, 0)
        if self.templates.get(dag_id) is template:
            del self.templates[dag_id]
        if template in self.retired:
            self.retired.remove(template)
        if not template.retiring or template.unstarted or template.running:
            self.direct_until[dag_id] = time.monotonic() + TEMPLATE_RETRY_AFTER
        for key in template.running:
            self.emit({"lost": json.loads(key)})
        for request in template.unstarted.values():
            self.spawn(request)

    def _retire_idle(self) -> None:
        now = time.monotonic()
        for dag_id, template in list(self.templates.items()):
            idle = not template.unstarted and not template.running
            if idle and now - template.last_used > TEMPLATE_IDLE:
                self._retire(dag_id)

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
        """Wait for the children and templates still running, passing on their exits."""
        for dag_id in list(self.templates):
            self._retire(dag_id)
        while self.retired:
            template = self.retired[0]
            os.set_blocking(template.events, True)
            while data := os.read(template.events, 65536):
                template.pending += data
                *lines, template.pending = template.pending.split(b"\n")
                for line in lines:
                    if line.strip():
                        self._write_events(line + b"\n")
            template.running.clear()
            template.unstarted.clear()
            self._end_template("", template)
        for pid, key in list(self.children.items()):
            with contextlib.suppress(ChildProcessError):
                _, status = os.waitpid(pid, 0)
                self.emit({"exited": key, "pid": pid, "code": os.waitstatus_to_exitcode(status)})

    def serve(self) -> None:
        # Its parent stops it by closing stdin; a signal to the whole process group (Ctrl-C,
        # a supervisor's SIGTERM) must not kill it first and make the parent start another.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # only to wake the selector
        stdin = self.requests
        self.selector.register(stdin, selectors.EVENT_READ)
        self.selector.register(self.wake_r, selectors.EVENT_READ)
        pending = b""
        while True:
            for key, _ in self.selector.select(timeout=1.0):
                if key.data is not None:
                    template = self.templates.get(key.data)
                    if template is None or template.events != key.fd:
                        template = next(t for t in self.retired if t.events == key.fd)
                    self._relay(key.data, template)
                    continue
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
            self._retire_idle()


def main(argv: list[str]) -> None:
    """``zygote ENTRY WARM_UP PREPARE MODULE...``: import the modules, call WARM_UP once, serve.

    PREPARE ``-``: no templates, every runner is forked by the zygote itself.
    """
    entry, warm_up, prepare, *preload = argv
    for name in preload:
        importlib.import_module(name)
    _load(warm_up)()
    gc.freeze()  # preloaded objects stay out of every child's collections: fewer pages copied
    Zygote(_load(entry), None if prepare == "-" else _load(prepare)).serve()


if __name__ == "__main__":
    main(sys.argv[1:])

"""``LocalExecutor``: run task instances as processes on this host, with a parallelism limit.

Each try runs the equivalent of ``dagkeeper tasks run DAG_ID RUN_ID TASK_ID
--try N``: the same runner entry function, called in a child forked from a
pre-imported zygote (:mod:`dagkeeper.executors.zygote`) rather than in a new
interpreter, which is what makes no-op tasks cheap; the zygote's per-DAG
templates also spare each try the import of its DAG file. The executor reports
every child's exit so the scheduler can fail a try whose process died
without recording a final state.
"""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
import threading
from collections import OrderedDict

from dagkeeper.executors import TaskExit, TaskKey

log = logging.getLogger(__name__)

RUNNER_ENTRY = "dagkeeper.runner:run_task_instance"
RUNNER_WARM_UP = "dagkeeper.runner:warm_up"
RUNNER_PREPARE = "dagkeeper.runner:preload_dag"  # per-DAG templates (see the zygote)
PRELOAD = (
    "sqlalchemy",
    "jinja2",
    "dagkeeper.models",
    "dagkeeper.authoring",
    "dagkeeper.operators",
    "dagkeeper.runner",
)


def _driver_modules(db_url: str) -> tuple[str, ...]:
    return ("psycopg",) if db_url.startswith("postgresql+psycopg") else ()


class LocalExecutor:
    def __init__(
        self,
        parallelism: int,
        entry: str = RUNNER_ENTRY,
        warm_up: str = RUNNER_WARM_UP,
        db_url: str | None = None,
        prepare: str = RUNNER_PREPARE,
    ):
        from dagkeeper.config import load_settings

        self.parallelism = parallelism
        self.entry = entry
        self.warm_up = warm_up
        self.prepare = prepare
        self.preload = PRELOAD + _driver_modules(db_url or load_settings().db_url)
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._ended = threading.Condition(self._lock)
        self._in_flight: OrderedDict[TaskKey, int | None] = OrderedDict()  # key -> pid
        self._exits: list[TaskExit] = []
        self._event = threading.Event()
        self._stopping = False

    def start(self) -> None:
        self._stopping = False
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dagkeeper.executors.zygote",
                self.entry,
                self.warm_up,
                self.prepare,
                *self.preload,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        threading.Thread(
            target=self._read_events, args=(self._process,), name="executor-events", daemon=True
        ).start()

    def queue(self, key: TaskKey) -> None:
        """Start ``key``'s runner now (the scheduler keeps within its slots)."""
        with self._lock:
            if key in self._in_flight:
                return
            self._in_flight[key] = None
        self._send(key)

    def _send(self, key: TaskKey) -> None:
        line = json.dumps(
            {
                "key": list(key),
                "args": [key.dag_id, key.run_id, key.task_id, key.try_number, key.map_index],
            }
        )
        assert self._process is not None and self._process.stdin is not None
        try:
            self._process.stdin.write(line.encode() + b"\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            self._restart()

    def _restart(self) -> None:
        """Start a new zygote after the old one died; resend what it had not started.

        Children it had started are no longer ours to watch: they record their
        own outcome, and the heartbeat check covers any that died.
        """
        if self._stopping:
            return
        log.warning("the executor's zygote process died; starting a new one")
        with self._lock:
            unstarted = [k for k, pid in self._in_flight.items() if pid is None]
            self._in_flight = OrderedDict((k, None) for k in unstarted)
        self.start()
        for key in unstarted:
            self._send(key)

    def _read_events(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            event = json.loads(line)
            with self._lock:
                if "started" in event:
                    key = TaskKey(*event["started"])
                    if key in self._in_flight:
                        self._in_flight[key] = event["pid"]
                    continue
                if "lost" in event:  # its runner goes on unwatched (see the zygote)
                    self._in_flight.pop(TaskKey(*event["lost"]), None)
                    self._ended.notify_all()
                    continue
                key = TaskKey(*event["exited"])
                self._in_flight.pop(key, None)
                self._exits.append(TaskExit(key, event["pid"], event["code"]))
                self._ended.notify_all()
            self._event.set()
        process.stdout.close()
        process.wait()
        if not self._stopping and process is self._process:
            self._restart()

    def run(self, key: TaskKey) -> TaskExit | None:
        """Start ``key``'s runner and wait until it exits (what a Celery worker thread does).

        None when the same try was already running here (a duplicate message):
        that runner's caller gets the exit.
        """
        self.queue(key)
        with self._ended:
            while key in self._in_flight:
                self._ended.wait()
            for index, exit in enumerate(self._exits):
                if exit.key == key:
                    return self._exits.pop(index)
        return None

    def collect_exits(self) -> list[TaskExit]:
        with self._lock:
            exits, self._exits = self._exits, []
        return exits

    def exits_pending(self) -> bool:
        with self._lock:
            return bool(self._exits)

    def running_pids(self) -> set[int]:
        with self._lock:
            return {pid for pid in self._in_flight.values() if pid is not None}

    def wait(self, timeout: float) -> bool:
        """Block until a task process ends or ``timeout`` passes; True if one ended."""
        happened = self._event.wait(timeout)
        self._event.clear()
        return happened

    def stop(self) -> None:
        """Stop the zygote; running tasks finish on their own and record their outcome."""
        self._stopping = True
        if self._process is None:
            return
        if self._process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

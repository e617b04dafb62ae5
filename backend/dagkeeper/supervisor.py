"""Start and stop dagkeeper's long-running processes as children.

``dagkeeper standalone``, the end-to-end test harness and the benchmarks all
run the same three commands -- processor (watch), scheduler, web server -- so
they share this one way of launching them and of stopping them by PID.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


def component_commands(bind: str, workers: int) -> dict[str, list[str]]:
    """The argv of each component, run with this interpreter."""
    cli = [sys.executable, "-m", "dagkeeper"]
    return {
        "processor": [*cli, "dags", "parse", "--watch"],
        "scheduler": [*cli, "scheduler"],
        "triggerer": [*cli, "triggerer"],
        "webserver": [*cli, "webserver", "--workers", str(workers), "--bind", bind],
    }


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    log_path: Path | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)


class Supervisor:
    """Owns a set of child processes; each runs in its own process group."""

    def __init__(self, env: dict[str, str] | None = None, log_dir: Path | None = None):
        self.env = {**os.environ, **(env or {})}
        self.log_dir = log_dir
        self.children: list[Child] = []

    def start(self, name: str, argv: list[str]) -> Child:
        log = None
        log_path = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log_path = self.log_dir / f"{name}.log"
            log = open(log_path, "ab")  # noqa: SIM115 -- closed in stop()
        process = subprocess.Popen(
            argv,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT if log else None,
            start_new_session=True,  # its own group, so stop() reaches its children too
        )
        child = Child(name, process, log_path, log)
        self.children.append(child)
        return child

    def exited(self) -> list[Child]:
        return [c for c in self.children if c.process.poll() is not None]

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM every child's process group, then SIGKILL what is left."""
        for child in self.children:
            _signal_group(child.process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in self.children:
            remaining = max(0.0, deadline - time.monotonic())
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.process.wait(remaining)
            _signal_group(child.process, signal.SIGKILL)
            child.process.wait()
            if child._log is not None:
                child._log.close()
        self.children.clear()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)

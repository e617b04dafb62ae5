"""A killed processor leaves nothing behind: its forkserver and parse children die with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from .helpers import write


def _parse_child_of(processor: psutil.Process, seconds: float = 60.0) -> list[psutil.Process]:
    """Wait for a parse child (forked by the zygote, forked by the forkserver); all
    descendants."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        family = processor.children(recursive=True)
        parents = {p.pid: p.ppid() for p in family}
        if any(parents.get(parents.get(p.pid, 0), processor.pid) != processor.pid for p in family):
            return family
        time.sleep(0.1)
    raise AssertionError("no parse child started")


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_processor_leaves_no_forkserver_or_parse_child(sqlite_db, dags_folder, signum):
    write(dags_folder, "endless.py", "while True:\n    pass\n")
    env = {**os.environ, "DAGKEEPER_PARSE_TIMEOUT": "300", "DAGKEEPER_SETTLE_SECONDS": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "dagkeeper", "dags", "parse", "--watch"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    family = []
    try:
        family = _parse_child_of(psutil.Process(process.pid))
        process.send_signal(signum)
        process.wait(30)
        _, alive = psutil.wait_procs(family, timeout=30)
        assert alive == []
    finally:
        process.kill()
        process.wait()
        for leftover in family:
            if leftover.is_running():
                leftover.kill()

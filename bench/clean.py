"""``dagkeeper db clean``: its rate, and what readers and writers feel while it runs (issue 19).

History is generated through the models (:mod:`bench.history`): ``runs`` daily
runs of the 2,000-task DAG with a task instance and a log per task, beside
``dag_count`` small DAGs. The clean deletes all but the newest 25 runs, so the
grid of 25 runs reads the same rows before and during. ``dagkeeper db clean``
runs as the operator runs it (its own process, default batch size) while one
client sends, one after the other, an uncached DAG list of 50, an uncached
grid of 2,000 tasks x 25 runs and a small write (pause or unpause a DAG): the
p50 and max of each, for 5 s before the clean and during it. The rate is rows deleted over the command's wall time (process
start included).

Reproduce: ``.venv/bin/python -m bench --only clean`` (``--quick``: 50 runs, SQLite only).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.api import parse_folder
from bench.databases import each_database
from bench.generate import BIG_DAG_ID, generate
from bench.history import START, add_history
from dagkeeper import db
from dagkeeper.models.clean import CleanScope, count
from dagkeeper.testing.stack import Stack

COMMAND = ".venv/bin/python -m bench --only clean"
KEPT_RUNS = 25
BEFORE_SECONDS = 5
SMALL_DAG = "bench_small_0000"
PROBES = {
    "dag_list": ("GET", "/api/v1/dags?limit=50", None),
    "grid_2000x25": ("GET", f"/ui/grid/{BIG_DAG_ID}?limit={KEPT_RUNS}", None),
    "pause_toggle": ("PATCH", f"/api/v1/dags/{SMALL_DAG}", "is_paused"),
}


def _probe(stack: Stack, method: str, path: str, paused: bool) -> float:
    """One request, uncached; milliseconds until the whole body is read."""
    body = json.dumps({"is_paused": paused}).encode() if method == "PATCH" else None
    request = urllib.request.Request(stack.base_url + path, data=body, method=method)
    request.add_header("Authorization", f"Bearer {stack.token}")
    request.add_header("Cache-Control", "no-cache")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def _probe_while(stack: Stack, busy) -> dict:
    """Send the probes in turn while ``busy()``; p50 and max per probe."""
    times: dict[str, list[float]] = {name: [] for name in PROBES}
    toggle = False
    while busy():
        for name, (method, path, _field) in PROBES.items():
            toggle = not toggle
            times[name].append(_probe(stack, method, path, toggle))
    return {
        name: {
            "p50_ms": round(statistics.median(values), 1),
            "max_ms": round(max(values), 1),
            "requests": len(values),
        }
        for name, values in times.items()
    }


def prepare(stack: Stack, dag_count: int, runs: int) -> None:
    stack.start(components=())
    generate(stack.dags_folder, n_small=dag_count, big=True, groups=False, seed=42)
    parse_folder(stack)
    db.configure(stack.db_url)
    add_history(BIG_DAG_ID, runs=runs)


def measure(backend: str, url: str | None, dag_count: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="dk-bench-clean-") as tmp:
        stack = Stack(Path(tmp), url or f"sqlite:///{tmp}/dagkeeper.db", workers=2,
                      DAGKEEPER_PARSE_TIMEOUT="120")  # fmt: skip
        prepare(stack, dag_count, runs)
        # Runs 0 .. runs-26 ended before this; the newest 25 are kept.
        cutoff = START + timedelta(days=runs - KEPT_RUNS, hours=12)
        try:
            with db.read_session() as session:
                planned = count(session, CleanScope(cutoff))
        finally:
            db.dispose()
        days = (datetime.now(UTC) - cutoff).total_seconds() / 86400
        stack.start(components=("webserver",))
        try:
            _probe_while(stack, _for_seconds(2))  # warm every worker
            before = _probe_while(stack, _for_seconds(BEFORE_SECONDS))
            started = time.perf_counter()
            clean = subprocess.Popen(
                [sys.executable, "-m", "dagkeeper", "db", "clean", "--older-than", f"{days:.4f}"],
                env=stack.supervisor.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            during = _probe_while(stack, lambda: clean.poll() is None)
            seconds = time.perf_counter() - started
            if clean.returncode != 0:
                raise RuntimeError(clean.stderr.read().decode())
        finally:
            stack.stop()
    rows = sum(planned.values())
    return {
        "backend": backend,
        "dags": dag_count,
        "runs": runs,
        "deleted": planned,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "before": before,
        "during": during,
    }


def _for_seconds(seconds: float):
    until = time.perf_counter() + seconds
    return lambda: time.perf_counter() < until


def run(backends=("sqlite", "postgresql"), dag_count: int = 1000, runs: int = 75,
        quick: bool = False) -> dict:  # fmt: skip
    if quick:
        backends, dag_count, runs = ("sqlite",), 100, 50
    results = []
    for backend, url in each_database(backends):
        print(f"clean: {backend}, {runs} runs of {BIG_DAG_ID} ...", flush=True)
        results.append(measure(backend, url, dag_count, runs))
    return {"clean": {"results": results, "command": COMMAND + (" --quick" if quick else "")}}


if __name__ == "__main__":
    print(json.dumps(run(backends=sys.argv[1:] or ("sqlite",), dag_count=100, runs=50), indent=2))

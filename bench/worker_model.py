"""Worker model, before and after issue 14, in one run: sync workers vs the threaded worker.

Same database, same data (``bench.api.prepare``), same loads: for each backend
the web server runs once as it did before (4 sync workers, ``--threads 1
--worker-class sync``) and once as it does now (4 workers of
:mod:`dagkeeper.api.worker`, 4 threads each). For each it checks that the
response cache and the per-request sessions stay correct under threads
(after every write, 16 concurrent reads across workers and threads all see
it; wrk sees no errors) and measures cached and uncached p50/p99 with wrk,
then the same while 40 idle sockets are held open.

Reproduce: ``.venv/bin/python -m bench --only worker_model`` (``--seconds`` per load).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from bench.api import NO_CACHE, endpoints, prepare
from bench.backends import per_backend
from bench.load import wrk
from dagkeeper.testing.pg import free_port
from dagkeeper.testing.stack import Stack

MODELS = {
    "sync (before)": ["--threads", "1", "--worker-class", "sync"],
    "threaded (after)": ["--threads", "4"],
}
LOADS = ("dag_list", "dag_details", "grid_2000x25")
IDLE = 40


def _serve(stack: Stack, model_args: list[str]) -> subprocess.Popen:
    stack.port = free_port()
    stack.base_url = f"http://127.0.0.1:{stack.port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "dagkeeper", "webserver", "--workers", "4",
         "--bind", f"127.0.0.1:{stack.port}", *model_args],
        env=stack.supervisor.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    stack.wait_for(lambda: stack.get("/api/v1/health").status == 200, 30, "health")
    return process


def _stale_reads(stack: Stack, dag_id: str, rounds: int = 20) -> int:
    """Reads that missed the write just made (must be 0: caches are validated per request)."""
    stale = 0
    with ThreadPoolExecutor(16) as pool:
        for index in range(rounds):
            paused = index % 2 == 0
            assert (
                stack.request("PATCH", f"/api/v1/dags/{dag_id}", {"is_paused": paused}).status
                == 200
            )
            replies = list(pool.map(lambda _: stack.get(f"/api/v1/dags/{dag_id}"), range(16)))
            stale += sum(1 for r in replies if r.status != 200 or r.body["is_paused"] != paused)
    return stale


def _loads(stack: Stack, paths: dict[str, str], seconds: int) -> dict:
    return {
        name: {
            "cached": wrk(stack.base_url + paths[name], seconds=seconds),
            "uncached": wrk(stack.base_url + paths[name], seconds=seconds, headers=NO_CACHE),
        }
        for name in LOADS
    }


def measure(backend: str, url: str | None, dag_count: int, seconds: int) -> dict:
    results = {}
    with tempfile.TemporaryDirectory(prefix="dk-bench-workers-") as tmp:
        url = url or f"sqlite:///{tmp}/dagkeeper.db"
        stack = Stack(Path(tmp), url, workers=4, DAGKEEPER_PARSE_TIMEOUT="120")
        prepare(stack, dag_count)
        for model, args in MODELS.items():
            process = _serve(stack, args)
            try:
                paths = endpoints(stack, "bench_small_0000")
                result = {"stale_reads": _stale_reads(stack, "bench_small_0001")}
                result["endpoints"] = _loads(stack, paths, seconds)
                with ExitStack() as held:
                    for _ in range(IDLE):
                        held.enter_context(socket.create_connection(("127.0.0.1", stack.port)))
                    result["with_idle_sockets"] = {
                        "dag_details": wrk(stack.base_url + paths["dag_details"], seconds=seconds)
                    }
                results[model] = result
            finally:
                os.kill(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
    return {"backend": backend, "dags": dag_count, "models": results}


def run(seconds: int = 10, dag_count: int = 200, backends=("sqlite", "postgresql")) -> dict:
    results = per_backend(
        "worker_model", backends, lambda backend, url: measure(backend, url, dag_count, seconds)
    )
    return {"worker_model": results}

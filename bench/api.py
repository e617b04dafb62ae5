"""API latency, throughput and web-worker memory under load (issue 8, measures 2 and 3).

For each backend (SQLite, PostgreSQL) and DAG count (100, 1,000, 10,000): DAG
files from :mod:`bench.generate` are parsed by the real processor, history is
added through the models (:mod:`bench.history`), ``dagkeeper webserver`` runs
with 4 workers, and ``wrk`` loads one endpoint at a time from a separate
process on loopback. Each endpoint is loaded twice: as a client sends it
(answered from the worker's response cache while the database change token is
unchanged: the steady state) and with ``Cache-Control: no-cache`` (built from
the database every time: what each request costs right after a change).

Each backend parses its own DAG folder with the real processor (no copying
between databases), so PostgreSQL's parse time is measured too.

Reproduce: ``.venv/bin/python -m bench --only api`` (``--quick``: 1,000 DAGs, 5 s per load).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.ceiling import measure as ceiling_of
from bench.generate import BIG_DAG_ID, generate
from bench.history import add_history
from bench.load import wrk
from dagkeeper import db
from dagkeeper.models.dag_counts import fold_all_counts
from dagkeeper.testing.pg import PgCluster, find_bindir
from dagkeeper.testing.stack import Stack

WORKERS = 4
NO_CACHE = {"Cache-Control": "no-cache"}  # skips the worker's response cache


def worker_rss_mb(stack: Stack) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children)."""
    master = next(c.process.pid for c in stack.supervisor.children if c.name == "webserver")
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
        sizes.append(round(kb / 1024, 1))
    return sizes


def parse_folder(stack: Stack) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dagkeeper", "dags", "parse"],
        env=stack.supervisor.env, check=True, capture_output=True,
    )  # fmt: skip
    return round(time.perf_counter() - started, 2)


def endpoints(stack: Stack, small_dag: str) -> dict[str, str]:
    runs = stack.get(f"/api/v1/dags/{BIG_DAG_ID}/dagRuns?limit=1&order_by=-logical_date").body
    run_id = runs["dag_runs"][0]["run_id"]
    tis = stack.get(f"/api/v1/dags/{BIG_DAG_ID}/dagRuns/{run_id}/taskInstances?limit=1").body
    task_id = tis["task_instances"][0]["task_id"]
    tag = stack.get(f"/api/v1/dags/{small_dag}").body["tags"][0]
    base = f"/api/v1/dags/{BIG_DAG_ID}/dagRuns/{run_id}/taskInstances"
    return {
        "dag_list": "/api/v1/dags?limit=50",
        "dag_list_filtered": f"/api/v1/dags?limit=50&tags={tag}&only_active=true&order_by=-next_dagrun",
        "dag_details": f"/api/v1/dags/{small_dag}/details",
        "structure_2000": f"/ui/structure/{BIG_DAG_ID}",
        "grid_2000x25": f"/ui/grid/{BIG_DAG_ID}?limit=25",
        "task_instances_of_run": f"{base}?limit=100",
        "log": f"{base}/{task_id}/logs/1",
    }


def prepare(stack: Stack, dag_count: int) -> float:
    """Migrate, write and parse ``dag_count`` small DAGs plus the big ones, add history.

    Returns the parse time in seconds.
    """
    stack.start(components=())
    generate(stack.dags_folder, n_small=dag_count, big=True, groups=True, seed=42)
    parse_seconds = parse_folder(stack)
    db.configure(stack.db_url)
    add_history(BIG_DAG_ID, runs=50)
    fold_all_counts(db.transaction)  # as the scheduler would within a minute
    db.dispose()
    return parse_seconds


def measure(backend: str, dag_count: int, url: str | None, seconds: int) -> dict:
    """One backend and DAG count; ``url=None`` puts a SQLite file in the scratch folder."""
    with tempfile.TemporaryDirectory(prefix="dk-bench-api-") as tmp:
        url = url or f"sqlite:///{tmp}/dagkeeper.db"
        stack = Stack(Path(tmp), url, workers=WORKERS, DAGKEEPER_PARSE_TIMEOUT="120")
        parse_seconds = prepare(stack, dag_count)
        stack.start(components=("webserver",))
        try:
            small = "bench_small_0000"
            for _ in range(50):  # let every worker serve once before measuring idle memory
                stack.get("/api/v1/health")
            rss_idle = worker_rss_mb(stack)
            loads = {}
            for name, path in endpoints(stack, small).items():
                if dag_count != 1000 and not name.startswith("dag_list"):
                    continue  # only the list depends on the DAG count
                auth = {"Authorization": f"Bearer {stack.token}"}
                # Every worker and thread builds and keeps the body once before the clock starts:
                # the cached figure is the steady state it claims to be.
                wrk(stack.base_url + path, seconds=1, headers=auth)
                loads[name] = {
                    "cached": wrk(stack.base_url + path, seconds=seconds, headers=auth),
                    "uncached": wrk(
                        stack.base_url + path, seconds=seconds, headers={**auth, **NO_CACHE}
                    ),  # fmt: skip
                    "bytes": len(_raw(stack, path)),
                }
            rss_after = worker_rss_mb(stack)
        finally:
            stack.stop()
    return {
        "backend": backend, "dags": dag_count, "parse_seconds": parse_seconds,
        "rss_idle_mb": rss_idle, "rss_after_mb": rss_after, "endpoints": loads,
    }  # fmt: skip


def _raw(stack: Stack, path: str) -> bytes:
    request = urllib.request.Request(stack.base_url + path)
    request.add_header("Authorization", f"Bearer {stack.token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def run(
    backends=("sqlite", "postgresql"),
    counts=(100, 1000, 10000),
    seconds: int = 20,
    quick: bool = False,
) -> dict:
    """Every backend x DAG count; ``quick`` keeps only 1,000 DAGs (for smoke runs)."""
    if quick:
        counts = (1000,)
    results = []
    cluster = None
    ceiling = None
    try:
        for backend in backends:
            for count in counts:
                if backend == "postgresql":
                    if cluster is None:
                        cluster = PgCluster(find_bindir()).start()
                    url = cluster.create_database()
                else:
                    url = None
                print(f"api: {backend}, {count} DAGs ...", flush=True)
                results.append(measure(backend, count, url, seconds))
        print("api: the ceiling, a trivial Flask route ...", flush=True)
        with tempfile.TemporaryDirectory(prefix="dk-bench-ceiling-") as tmp:
            env = Stack(Path(tmp), f"sqlite:///{tmp}/unused.db").supervisor.env
            ceiling = ceiling_of(WORKERS, seconds, env)
    finally:
        if cluster is not None:
            cluster.stop()
    return {"api": results, "api_ceiling": ceiling}


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))

"""100,000 DAGs and 10 million task instances on PostgreSQL (issue 19, scale).

Two databases on one PostgreSQL cluster: *base*, 1,000 small DAGs parsed by
the real processor plus the 2,000-task DAG with 50 runs (:func:`bench.api.prepare`),
10 runs of every small DAG; and *scaled*, a copy of base grown by
:mod:`bench.bulk` to the size asked for. Each gets a 4-worker web server, and
wrk loads each endpoint with ``Cache-Control: no-cache`` on base, scaled,
base, scaled, so both sizes see the same machine load; the p50 reported is
the median of the two loads. Then, on the scaled database: web worker RSS
before and after the loads, the processor's unchanged re-scan of a folder
with one file per DAG (:func:`bench.processor.unchanged_rescans`), the size
of the task instance rows per million, what each request costs
(:mod:`bench.request_costs`), and an 8-worker server loaded with 16
connections while ``pg_stat_activity`` is sampled, the server's transactions
counted and the CPU of the web server and of the database server read from ``/proc``.

Sizes: ``default`` is 10,000 DAGs and 1 million task instances (what ``make
bench`` runs); ``full`` is 100,000 DAGs and 10 million: ``.venv/bin/python -m
bench --only scale --scale full`` (about 40 minutes on 2 cores, 7 GB of disk
freed at the end).
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, delete, text, update

from bench.api import endpoints, prepare, worker_rss_mb
from bench.bulk import TEMPLATES, grow, small_id
from bench.generate import generate
from bench.load import wrk
from bench.processor import seed_parsed, unchanged_rescans
from bench.request_costs import request_costs
from dagkeeper import db
from dagkeeper.models import Dag, DagFile, DagRun, TaskInstance
from dagkeeper.models.dag_counts import fold_all_counts
from dagkeeper.testing.pg import PgCluster, find_bindir
from dagkeeper.testing.stack import Stack

SIZES = {"default": 10_000, "full": 100_000}  # small DAGs; 10 runs x 10 tasks each
RUNS = 10
WORKERS = 4
MANY_WORKERS = 8
MANY_CONNECTIONS = 16
NO_CACHE = {"Cache-Control": "no-cache"}
TARGET_RATIO = 1.5


def scale_endpoints(stack: Stack) -> dict[str, str]:
    """The views whose cost must not grow with the number of DAGs and task instances."""
    known = endpoints(stack, small_id(42))
    return {
        "dag_list": "/api/v1/dags?limit=50",
        "dag_list_tag": "/api/v1/dags?limit=50&tags=finance",
        "dag_list_paused": "/api/v1/dags?limit=50&paused=true",
        # there is no owner filter in the API: ordering by owner is the nearest view
        "dag_list_by_owner": "/api/v1/dags?limit=50&order_by=owners",
        "dag_search": "/api/v1/dags?limit=50&search=small_0042",
        "structure_2000": known["structure_2000"],
        "grid_2000x25": known["grid_2000x25"],
        "task_instances_of_run": known["task_instances_of_run"],
    }


def _admin(url: str) -> None:
    """VACUUM ANALYZE, as autovacuum would do after a bulk load, outside a transaction."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _build_base(stack: Stack) -> None:
    prepare(stack, TEMPLATES)
    engine = create_engine(stack.db_url)
    with engine.begin() as conn:  # one DAG in ten paused, so the paused filter finds some
        conn.execute(update(Dag).where(Dag.dag_id.like("bench_small_%3")).values(is_paused=True))
    grow(engine.begin, TEMPLATES, RUNS)
    engine.dispose()
    _admin(stack.db_url)


def _grow_scaled(stack: Stack, base: Stack, dags: int) -> None:
    engine = create_engine(stack.db_url)
    grow(engine.begin, dags, RUNS, first=TEMPLATES)
    engine.dispose()
    # one file per DAG for the re-scan: the parsed ones, and the rest as generate() writes them
    shutil.copytree(base.dags_folder, stack.dags_folder, dirs_exist_ok=True)
    generate(stack.dags_folder, n_small=dags, big=False, groups=False, seed=42)
    db.configure(stack.db_url)
    with db.transaction() as session:
        session.execute(delete(DagFile))
    seed_parsed(stack.dags_folder)
    fold_all_counts(db.transaction)  # the list counts' deltas, as the scheduler would
    db.dispose()
    _admin(stack.db_url)


def _sizes(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = lambda model: conn.scalar(text(f"SELECT count(*) FROM {model.__tablename__}"))  # noqa: E731
        size = lambda model: conn.scalar(  # noqa: E731
            text(f"SELECT pg_total_relation_size('{model.__tablename__}')")
        )
        tis, runs = count(TaskInstance), count(DagRun)
        result = {
            "dags": count(Dag), "runs": runs, "task_instances": tis,
            "task_instance_bytes": size(TaskInstance), "dag_run_bytes": size(DagRun),
            "database_bytes": conn.scalar(text("SELECT pg_database_size(current_database())")),
        }  # fmt: skip
    engine.dispose()
    per_million = 1_000_000 / tis
    result["task_instance_mb_per_million"] = round(
        result["task_instance_bytes"] * per_million / 2**20
    )
    result["database_mb_per_million_tis"] = round(result["database_bytes"] * per_million / 2**20)
    return result


def _rescan(stack: Stack) -> dict:
    db.configure(stack.db_url)
    try:
        watched, one_shot = unchanged_rescans(stack.dags_folder)
    finally:
        db.dispose()
    return {"files": sum(1 for _ in stack.dags_folder.rglob("*.py")),
            "watch_s": round(watched, 3), "one_shot_s": round(one_shot, 3)}  # fmt: skip


def _interleaved(base: Stack, scaled: Stack, paths: dict[str, str], seconds: int) -> dict:
    """Each endpoint loaded on base, scaled, base, scaled; median p50 of each size."""
    loads = {}
    for name, path in paths.items():
        runs: dict[str, list[dict]] = {"base": [], "scaled": []}
        for _ in range(2):
            for label, stack in (("base", base), ("scaled", scaled)):
                headers = {"Authorization": f"Bearer {stack.token}", **NO_CACHE}
                runs[label].append(wrk(stack.base_url + path, seconds=seconds, headers=headers))
        p50 = {
            label: round(statistics.median(r["p50_ms"] for r in rs), 2)
            for label, rs in runs.items()
        }
        loads[name] = {
            "base_p50_ms": p50["base"], "scaled_p50_ms": p50["scaled"],
            "ratio": round(p50["scaled"] / p50["base"], 2),
            "errors": sum(r["errors"] + r["socket_errors"] for rs in runs.values() for r in rs),
            "command": runs["scaled"][0]["command"],
        }  # fmt: skip
    return loads


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of process ``pid`` and all its descendants, the exited ones included.

    A process's ``cutime``/``cstime`` hold the children it reaped, so a database backend
    or a web worker that ended during the load still counts.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return 0.0
    ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / 100 + sum(tree_cpu_s(int(child)) for child in children)  # USER_HZ


def _web_master(stack: Stack) -> int:
    return next(c.process.pid for c in stack.supervisor.children if c.name == "webserver")


class _Activity(threading.Thread):
    """Samples this database's ``pg_stat_activity`` every 100 ms while a load runs."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.stop = threading.Event()
        self.samples: list[tuple[int, int]] = []  # (connections, active)

    def run(self) -> None:
        query = text(
            "SELECT state FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        with self.engine.connect() as conn:
            while not self.stop.wait(0.1):
                states = conn.scalars(query).all()
                self.samples.append((len(states), states.count("active")))

    def finish(self) -> dict:
        self.stop.set()
        self.join()
        self.engine.dispose()
        connections = [c for c, _ in self.samples] or [0]
        active = [a for _, a in self.samples] or [0]
        return {"connections_max": max(connections), "active_p50": statistics.median(active),
                "active_max": max(active), "queries": len(self.samples)}  # fmt: skip


def _transactions(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        done = conn.scalar(text(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()"
        ))  # fmt: skip
    engine.dispose()
    return int(done)


def _many_workers(stack: Stack, postmaster: int, paths: dict[str, str], seconds: int) -> dict:
    """The scaled database behind ``MANY_WORKERS`` web workers, one endpoint at a time.

    CPU per request: of the web server's process tree, and of the whole PostgreSQL
    server's (``postmaster``: backends, and background work such as autovacuum).
    """
    stack.stop()
    stack.workers = MANY_WORKERS
    stack.start(components=("webserver",))
    results = {}
    headers = {"Authorization": f"Bearer {stack.token}", **NO_CACHE}
    for name, path in paths.items():
        wrk(stack.base_url + path, seconds=2, connections=MANY_CONNECTIONS, headers=headers)
        time.sleep(1.0)  # statistics reach pg_stat_database within a second
        activity = _Activity(stack.db_url)
        activity.start()
        time.sleep(0.3)
        web = _web_master(stack)
        before = (_transactions(stack.db_url), tree_cpu_s(web), tree_cpu_s(postmaster))
        load = wrk(stack.base_url + path, seconds=seconds, connections=MANY_CONNECTIONS,
                   headers=headers)  # fmt: skip
        after_cpu = (tree_cpu_s(web), tree_cpu_s(postmaster))
        time.sleep(1.0)
        sampled = activity.finish()  # its own reads are transactions too: not the server's
        transactions = _transactions(stack.db_url) - before[0] - sampled.pop("queries")
        requests = max(load["requests"], 1)
        results[name] = {
            "p50_ms": load["p50_ms"], "p99_ms": load["p99_ms"], "rps": load["rps"],
            "errors": load["errors"] + load["socket_errors"],
            "transactions_per_request": round(transactions / requests, 2),
            "web_cpu_ms_per_request": round((after_cpu[0] - before[1]) * 1000 / requests, 2),
            "db_cpu_ms_per_request": round((after_cpu[1] - before[2]) * 1000 / requests, 2),
            **sampled,
        }  # fmt: skip
    return {"workers": MANY_WORKERS, "connections": MANY_CONNECTIONS, "seconds": seconds,
            "endpoints": results}  # fmt: skip


def run(scale: str = "default", seconds: int = 5) -> dict:
    """Build both databases, measure, drop them; returns ``{"scale": {...}}``."""
    dags = SIZES[scale]
    cluster = PgCluster(find_bindir()).start()
    try:
        with tempfile.TemporaryDirectory(prefix="dk-bench-scale-") as tmp:
            base_url = cluster.create_database()
            base = Stack(Path(tmp, "base"), base_url, workers=WORKERS,
                         DAGKEEPER_PARSE_TIMEOUT="120")  # fmt: skip
            started = time.perf_counter()
            _build_base(base)
            base_seconds = time.perf_counter() - started
            scaled_url = cluster.create_database(template=base_url.rsplit("/", 1)[1])
            scaled = Stack(Path(tmp, "scaled"), scaled_url, workers=WORKERS)
            scaled.token = base.token  # the copy has the same users and tokens
            started = time.perf_counter()
            _grow_scaled(scaled, base, dags)
            grow_seconds = time.perf_counter() - started
            result = {"dags": dags, "runs_per_dag": RUNS, "machine_loaded": True,
                      "base_build_s": round(base_seconds), "grow_s": round(grow_seconds),
                      "base_size": _sizes(base_url), "scaled_size": _sizes(scaled_url)}  # fmt: skip
            result["rescan"] = {"base": _rescan(base), "scaled": _rescan(scaled)}
            base.start(components=("webserver",))
            scaled.start(components=("webserver",))
            try:
                paths = scale_endpoints(scaled)
                for stack in (base, scaled):
                    for _ in range(50):
                        stack.get("/api/v1/health")
                result["rss_before_mb"] = {
                    "base": worker_rss_mb(base),
                    "scaled": worker_rss_mb(scaled),
                }
                result["endpoints"] = _interleaved(base, scaled, paths, seconds)
                result["rss_after_mb"] = {
                    "base": worker_rss_mb(base),
                    "scaled": worker_rss_mb(scaled),
                }
                base.stop()
                result["request_costs"] = {
                    stack_name: request_costs(stack.env, stack.token, paths)
                    for stack_name, stack in (("base", base), ("scaled", scaled))
                }
                postmaster = int((cluster.dir / "data" / "postmaster.pid").read_text().split()[0])
                result["many_workers"] = _many_workers(scaled, postmaster, paths, seconds)
            finally:
                base.stop()
                scaled.stop()
            result["paths"] = paths
    finally:
        cluster.stop()  # removes both databases' files
    return {"scale": result}


def table(result: dict) -> str:
    """The Markdown section of ``bench/results/latest.md``."""
    size = result["scaled_size"]
    lines = [
        f"1,000 DAGs / {result['base_size']['task_instances']:,} task instances (base) vs "
        f"{size['dags']:,} DAGs / {size['task_instances']:,} task instances (scaled), "
        "PostgreSQL, 4 workers, wrk 8 connections, `Cache-Control: no-cache`, "
        "loads interleaved base/scaled/base/scaled on a loaded 2-core machine.",
        "",
        "| endpoint | base p50 | scaled p50 | ratio (target ≤ 1.5) |",
        "|---|---|---|---|",
    ]
    for name, load in result["endpoints"].items():
        lines.append(f"| {name} | {load['base_p50_ms']} ms | {load['scaled_p50_ms']} ms "
                     f"| {load['ratio']} |")  # fmt: skip
    rescan = result["rescan"]["scaled"]
    lines += [
        "",
        f"Web worker RSS before / after the loads, base: {result['rss_before_mb']['base']} / "
        f"{result['rss_after_mb']['base']} MB; scaled: {result['rss_before_mb']['scaled']} / "
        f"{result['rss_after_mb']['scaled']} MB. Unchanged re-scan of {rescan['files']:,} files: "
        f"{rescan['watch_s']} s (watch mode), {rescan['one_shot_s']} s (one-shot). "
        f"task_instance with its indexes: {size['task_instance_mb_per_million']} MB per million "
        f"rows; whole database: {size['database_mb_per_million_tis']} MB per million task "
        "instances.",
        "",
        "| endpoint | statements / request: uncached (token reads) / cached "
        "| in-process, one at a time, uncached: wall ms base → scaled | web CPU ms "
        f"| {result['many_workers']['workers']} workers: p50 | req/s | transactions / request "
        "| web CPU ms / req | DB CPU ms / req | connections max (active p50) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, cost in result["request_costs"]["scaled"].items():
        many = result["many_workers"]["endpoints"][name]
        fresh, cached = cost["uncached"], cost["cached"]
        base = result["request_costs"]["base"][name]["uncached"]
        lines.append(
            f"| {name} | {fresh['queries']} ({fresh['token_reads']}) / {cached['queries']} "
            f"| {base['wall_ms']} → {fresh['wall_ms']} | {fresh['cpu_ms']} "
            f"| {many['p50_ms']} ms | {many['rps']:,.0f} | {many['transactions_per_request']} "
            f"| {many['web_cpu_ms_per_request']} | {many['db_cpu_ms_per_request']} "
            f"| {many['connections_max']} ({many['active_p50']}) |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))

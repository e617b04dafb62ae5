"""Scheduler benchmark: no-op task throughput and task start latency, end to end.

A real ``dagkeeper scheduler`` process runs a 1,000-task fan-out DAG of
``EmptyOperator`` tasks and a 5-task chain, three times: with the local
executor, and with the Celery executor and one, then two ``dagkeeper worker``
processes (a throwaway ``redis-server`` on a unix socket), all on SQLite and
the same parallelism. The figures come from the task instances' own
timestamps in the database.
Reproduce: ``.venv/bin/python -m bench.scheduler`` (from the repository root);
``--only local`` or ``--only celery`` runs one executor's legs, ``--width N``
a narrower fan-out for a quick look.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMAND = ".venv/bin/python -m bench.scheduler"

FANOUT = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import EmptyOperator

with DAG("bench_fanout", start_date=datetime(2024, 1, 1)):
    root = EmptyOperator(task_id="root")
    root >> [EmptyOperator(task_id=f"noop_{i:04d}") for i in range({width})]
"""

CHAIN = """
from datetime import datetime
from dagkeeper import DAG, chain
from dagkeeper.operators import EmptyOperator

with DAG("bench_chain", start_date=datetime(2024, 1, 1)):
    chain(*[EmptyOperator(task_id=f"step_{i}") for i in range(5)])
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _trigger(dag_id: str, run_id: str) -> int:
    from dagkeeper import db
    from dagkeeper.models import Dag, DagVersion, queue_manual_run

    with db.transaction() as session:
        dag = session.get(Dag, dag_id)
        version = session.get(DagVersion, dag.current_version_id)
        return queue_manual_run(session, dag, version.id, version.read(), {}, run_id=run_id).id


def _wait_finished(run_pk: int, timeout: float) -> str:
    from dagkeeper import db
    from dagkeeper.models import DagRun, RunState

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.read_session() as session:
            state = session.get(DagRun, run_pk).state
        if state in RunState.FINISHED:
            return state
        time.sleep(0.02)
    raise TimeoutError(f"run {run_pk} did not finish within {timeout} s")


def _task_times(run_pk: int):
    from sqlalchemy import select

    from dagkeeper import db
    from dagkeeper.models import DagRun, TaskInstance

    with db.read_session() as session:
        run = session.get(DagRun, run_pk)
        rows = session.execute(
            select(TaskInstance.queued_at, TaskInstance.start_date, TaskInstance.end_date).where(
                TaskInstance.dag_run_id == run_pk
            )
        ).all()
    return run, rows


def _children_cpu() -> float:
    """CPU seconds of every waited-for child process tree (scheduler, zygote, runners, tasks,
    workers, redis): less disturbed by other load on a shared machine than wall time."""
    times = os.times()
    return times.children_user + times.children_system


def _own_cpu(pid: int) -> float:
    """CPU seconds the process itself used so far (not its children): the scheduler's share."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_workers(count: int, timeout: float = 120.0) -> None:
    from sqlalchemy import func, select

    from dagkeeper import db
    from dagkeeper.models import Worker

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.read_session() as session:
            if session.scalar(select(func.count()).select_from(Worker)) >= count:
                return
        time.sleep(0.1)
    raise TimeoutError(f"{count} workers did not register within {timeout} s")


def _leg(root: Path, width: int, parallelism: int, workers: int) -> dict:
    """One executor: ``workers`` 0 is the local executor, N is Celery with N workers."""
    dags = root / "dags"
    dags.mkdir(parents=True, exist_ok=True)
    (dags / "fanout.py").write_text(FANOUT.replace("{width}", str(width)))
    (dags / "chain.py").write_text(CHAIN)
    env = {
        **os.environ,
        "DAGKEEPER_HOME": str(root),
        "DAGKEEPER_DB_URL": f"sqlite:///{root / 'bench.db'}",
        "DAGKEEPER_DAGS_FOLDER": str(dags),
        "DAGKEEPER_PARALLELISM": str(parallelism),
        "DAGKEEPER_EXECUTOR": "celery" if workers else "local",
        "DAGKEEPER_CELERY_BROKER_URL": f"redis+socket://{root / 'redis.sock'}",
    }
    os.environ.update(env)
    dagkeeper = [sys.executable, "-m", "dagkeeper"]
    subprocess.run([*dagkeeper, "db", "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([*dagkeeper, "dags", "parse"], env=env, check=True, capture_output=True)

    from dagkeeper import db

    db.configure(env["DAGKEEPER_DB_URL"])
    cpu_before = _children_cpu()
    log = open(root / "processes.log", "wb")  # noqa: SIM115 (closed below)
    processes = []
    if workers:
        processes.append(subprocess.Popen(
            ["redis-server", "--port", "0", "--unixsocket", str(root / "redis.sock"),
             "--save", "", "--appendonly", "no"], stdout=log, stderr=log,
        ))  # fmt: skip
        for i in range(workers):
            concurrency = str(parallelism // workers)
            processes.append(subprocess.Popen(
                [*dagkeeper, "worker", "--hostname", f"bench-{i}", "--concurrency", concurrency],
                env=env, stdout=log, stderr=log,
            ))  # fmt: skip
    processes.append(subprocess.Popen([*dagkeeper, "scheduler"], env=env, stdout=log, stderr=log))
    try:
        if workers:
            _wait_workers(workers)
        time.sleep(1.0)  # let the scheduler and its zygote import everything first
        chain_latencies = []
        for attempt in range(3):
            started = time.perf_counter()
            chain_run = _trigger("bench_chain", f"bench_{attempt}")
            assert _wait_finished(chain_run, 60) == "success"
            chain_latencies.append(time.perf_counter() - started)

        fanout_run = _trigger("bench_fanout", "bench")
        assert _wait_finished(fanout_run, 900) == "success"
        run_row, rows = _task_times(fanout_run)
        scheduler_cpu = _own_cpu(processes[-1].pid)
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=60)
        log.close()
        db.dispose()
    cpu = _children_cpu() - cpu_before

    first_queued = min(r.queued_at for r in rows)
    last_end = max(r.end_date for r in rows)
    span = (last_end - first_queued).total_seconds()
    start_latency = [(r.start_date - r.queued_at).total_seconds() for r in rows]
    return {
        "tasks": len(rows),
        "parallelism": parallelism,
        "tasks_per_second": round(len(rows) / span, 1),
        "fanout_run_seconds": round((run_row.end_date - run_row.queued_at).total_seconds(), 2),
        "queued_to_running_p50_ms": round(statistics.median(start_latency) * 1000, 1),
        "queued_to_running_p99_ms": round(_percentile(start_latency, 0.99) * 1000, 1),
        "chain5_trigger_to_success_seconds": round(statistics.median(chain_latencies), 2),
        "cpu_ms_per_task": round(cpu * 1000 / (len(rows) + 15), 1),
        "scheduler_cpu_ms_per_task": round(scheduler_cpu * 1000 / (len(rows) + 15), 1),
        "command": COMMAND,
    }


def run(
    tmpdir: str | None = None,
    width: int = 999,
    parallelism: int = 16,
    executors: tuple[str, ...] = ("local", "celery"),
) -> dict:
    """Every executor once; the local figures under ``scheduler``, Celery's next to them."""
    root = Path(tmpdir or tempfile.mkdtemp(prefix="dagkeeper-bench-scheduler-"))
    results = {}
    if "local" in executors:
        results["scheduler"] = _leg(root / "local", width, parallelism, 0)
    if "celery" in executors and shutil.which("redis-server"):
        results["scheduler_celery"] = {
            f"{n}_worker{'s' if n > 1 else ''}": _leg(root / f"celery{n}", width, parallelism, n)
            for n in (1, 2)
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("local", "celery"), help="one executor's legs")
    parser.add_argument("--width", type=int, default=999, help="fan-out width (999)")
    args = parser.parse_args()
    executors = (args.only,) if args.only else ("local", "celery")
    results = run(width=args.width, executors=executors)
    for name, value in results.get("scheduler", {}).items():
        print(f"local  {name:36} {value}")
    for leg, figures in results.get("scheduler_celery", {}).items():
        for name, value in figures.items():
            print(f"celery {leg:9} {name:36} {value}")


if __name__ == "__main__":
    main()

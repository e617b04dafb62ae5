"""Processor benchmark: cold parse, unchanged re-scan, watch-mode propagation.

Reproduce from the repository root with ``.venv/bin/python -m bench.processor``.
The DAG folder comes from :mod:`bench.generate` (seed 42): 1,000 small DAG
files plus a 2,000-task and a 200-task DAG; the database is a fresh SQLite
file per cold run.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

COMMAND = ".venv/bin/python -m bench.processor"
COLD_RUNS = 3
RESCAN_RUNS = 5
EDITS = 50


def _fresh_database(folder: Path, name: str) -> str:
    import dagkeeper.db
    from dagkeeper.migrate import migrate

    url = f"sqlite:///{folder / name}"
    migrate(url)
    os.environ["DAGKEEPER_DB_URL"] = url
    dagkeeper.db.configure(url)
    return url


def _version_count(dag_id: str) -> int:
    from sqlalchemy import func, select

    from dagkeeper.db import read_session
    from dagkeeper.models import DagVersion

    with read_session() as session:
        return session.scalar(
            select(func.count()).select_from(DagVersion).where(DagVersion.dag_id == dag_id)
        )


def _propagation(dags: Path, edits: int) -> list[float]:
    """Seconds from a file save to its new dag_version row being committed, per edit."""
    from dagkeeper.processor.watch import watch

    stop = threading.Event()
    thread = threading.Thread(
        target=watch,
        args=(dags,),
        kwargs={"rescan_interval": 3600, "stop": stop},
        daemon=True,
    )
    thread.start()
    time.sleep(1.0)  # the initial pass finds nothing new; let the observer settle
    latencies = []
    try:
        for edit in range(edits):
            index = edit * 7 % 1000
            path = dags / f"team_{index % 10}" / f"small_{index:04d}.py"
            dag_id = f"bench_small_{index:04d}"
            before = _version_count(dag_id)
            text = path.read_text() + f'    end >> EmptyOperator(task_id="edit_{edit}")\n'
            saved = time.monotonic()
            path.write_text(text)
            deadline = saved + 10
            while _version_count(dag_id) == before and time.monotonic() < deadline:
                time.sleep(0.005)
            latencies.append(time.monotonic() - saved)
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(30)
    return latencies


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(tmpdir: Path | None = None) -> dict:
    """Run the three measurements; returns ``{"processor": {...}}`` (seconds / milliseconds)."""
    from bench.generate import generate
    from dagkeeper.processor.scan import scan

    with tempfile.TemporaryDirectory(prefix="dagkeeper-bench-") as scratch:
        work = Path(tmpdir or scratch)
        dags = work / "dags"
        files = generate(dags, n_small=1000, big=True, groups=True, seed=42)
        os.environ["DAGKEEPER_DAGS_FOLDER"] = str(dags)
        cold = []
        for attempt in range(COLD_RUNS):
            _fresh_database(work, f"cold_{attempt}.db")
            summary = scan(dags)
            assert summary.errors == 0 and summary.dags == len(files), summary.line()
            cold.append(summary.seconds)
        rescans = [scan(dags).seconds for _ in range(RESCAN_RUNS)]
        latencies = _propagation(dags, EDITS)
    result = {
        "files": len(files),
        "parse_workers": int(
            os.environ.get("DAGKEEPER_PARSE_WORKERS", max(2, os.cpu_count() or 2))
        ),
        "cold_parse_s": round(statistics.median(cold), 2),
        "cold_parse_runs_s": [round(s, 2) for s in cold],
        "unchanged_rescan_s": round(statistics.median(rescans), 3),
        "watch_propagation_p50_ms": round(_percentile(latencies, 0.5) * 1000),
        "watch_propagation_p99_ms": round(_percentile(latencies, 0.99) * 1000),
        "watch_edits": len(latencies),
    }
    return {"processor": result}


def _print_table(result: dict) -> None:
    rows = [
        ("files", result["files"], ""),
        ("cold parse (median of 3)", f"{result['cold_parse_s']} s", "<= 20 s"),
        (
            "unchanged re-scan (median of 5)",
            f"{result['unchanged_rescan_s']} s",
            "<= 3 s",
        ),
        ("watch propagation p50", f"{result['watch_propagation_p50_ms']} ms", ""),
        (
            "watch propagation p99",
            f"{result['watch_propagation_p99_ms']} ms",
            "<= 1000 ms",
        ),
    ]
    for name, value, target in rows:
        print(f"{name:<34}{value!s:>12}  {target}")
    print(f"\nreproduce: {COMMAND}   (cold runs: {result['cold_parse_runs_s']})")


if __name__ == "__main__":
    _print_table(run()["processor"])

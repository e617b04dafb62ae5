"""Processor benchmark: cold parse, unchanged re-scans, saved → visible, swap → visible.

Reproduce from the repository root with ``.venv/bin/python -m bench.processor``.
The DAG folder comes from :mod:`bench.generate` (seed 42): 1,000 small DAG
files plus a 2,000-task and a 200-task DAG, checked out as ``rev-0`` behind a
symlink the way git-sync leaves it; the database is a fresh SQLite file per
cold run. Watch mode measures from the end of a save (the writer closed the
file, or renamed it into place) or of a symlink swap to the commit of the new
versions, which is when every web worker shows them. The re-scan of 10,000
unchanged files uses a folder of its own, recorded as parsed beforehand.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

COMMAND = ".venv/bin/python -m bench.processor"
COLD_RUNS = 3
RESCAN_RUNS = 5
EDITS = 50
SWAPS = 20
SWAP_CHANGES = 10
MANY_FILES = 10_000


def _fresh_database(folder: Path, name: str) -> str:
    import dagkeeper.db
    from dagkeeper.migrate import migrate

    url = f"sqlite:///{folder / name}"
    migrate(url)
    os.environ["DAGKEEPER_DB_URL"] = url
    dagkeeper.db.configure(url)
    return url


def _version_count(dag_ids: list[str]) -> int:
    from sqlalchemy import func, select

    from dagkeeper.db import read_session
    from dagkeeper.models import DagVersion

    with read_session() as session:
        return session.scalar(
            select(func.count()).select_from(DagVersion).where(DagVersion.dag_id.in_(dag_ids))
        )


def _until_new_versions(dag_ids: list[str], before: int, since: float) -> float:
    """Seconds from ``since`` until every DAG in ``dag_ids`` has one more version."""
    deadline = since + 30
    while _version_count(dag_ids) < before + len(dag_ids) and time.monotonic() < deadline:
        time.sleep(0.005)
    return time.monotonic() - since


def _watching(dags: Path, measure: Callable[[], list[float]]) -> list[float]:
    from dagkeeper.processor.watch import watch

    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(dags,), kwargs={"rescan_interval": 3600, "stop": stop}, daemon=True
    )
    thread.start()
    time.sleep(1.0)  # the initial pass finds nothing new; let the observer settle
    try:
        return measure()
    finally:
        stop.set()
        thread.join(30)


def _small_file(dags: Path, index: int) -> tuple[Path, str]:
    return dags / f"team_{index % 10}" / f"small_{index:04d}.py", f"bench_small_{index:04d}"


def _atomic_save(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    tmp.replace(path)


def _saves(dags: Path, save: Callable[[Path, str], None], offset: int) -> list[float]:
    """Seconds from a save to its new dag_version row being committed, per edit."""
    latencies = []
    for edit in range(EDITS):
        path, dag_id = _small_file(dags, (edit * 7 + offset) % 1000)
        before = _version_count([dag_id])
        text = path.read_text() + f'    end >> EmptyOperator(task_id="edit_{offset}_{edit}")\n'
        save(path, text)
        latencies.append(_until_new_versions([dag_id], before, time.monotonic()))
        time.sleep(0.05)
    return latencies


def _swaps(link: Path, revisions: Path) -> list[float]:
    """Seconds from a symlink swap to all changed DAGs of the new revision being committed."""
    from dagkeeper.testing.writers import swap_symlink

    rng = random.Random(7)
    latencies = []
    for number in range(1, SWAPS + 1):
        folder = revisions / f"rev-{number}"
        shutil.copytree(os.path.realpath(link), folder, symlinks=True)
        changed = rng.sample(range(1000), SWAP_CHANGES)
        dag_ids = []
        for index in changed:
            path, dag_id = _small_file(folder, index)
            path.write_text(
                path.read_text() + f'    end >> EmptyOperator(task_id="rev_{number}")\n'
            )
            dag_ids.append(dag_id)
        before = _version_count(dag_ids)
        time.sleep(0.2)  # the checkout is done before the side-car swaps
        swap_symlink(link, folder)
        latencies.append(_until_new_versions(dag_ids, before, time.monotonic()))
        if number >= 2:
            shutil.rmtree(revisions / f"rev-{number - 2}")
    return latencies


def _many_unchanged(work: Path) -> tuple[float, float]:
    """Median seconds of a re-scan of 10,000 unchanged files: watch mode, and one-shot."""
    folder = work / "many"
    for index in range(MANY_FILES):
        path = folder / f"part_{index % 100:02d}" / f"file_{index:05d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"VALUE = {index}\n")
    _fresh_database(work, "many.db")
    seed_parsed(folder)
    return unchanged_rescans(folder)


def unchanged_rescans(folder: Path) -> tuple[float, float]:
    """Median seconds of a re-scan of ``folder``, every file of it recorded as parsed:
    watch mode (the scanner remembers each file's stat), and one-shot (reads every file)."""
    from dagkeeper.processor.scan import Scanner, scan

    scanner = Scanner(folder)
    scanner.run()  # reads each file once and remembers its stat
    watched = [scanner.run().seconds for _ in range(RESCAN_RUNS)]
    one_shot = [scan(folder).seconds for _ in range(RESCAN_RUNS)]
    return statistics.median(watched), statistics.median(one_shot)


def seed_parsed(folder: Path) -> None:
    """Record every file as parsed, as a first pass would (parsing 10,000 files takes
    minutes and is measured by the cold parse already)."""
    from sqlalchemy import insert

    from dagkeeper.db import transaction
    from dagkeeper.models import DagFile
    from dagkeeper.processor.files import find_dag_files
    from dagkeeper.processor.publish import content_hash

    rows = [
        {"path": loc, "content_hash": content_hash((folder / loc).read_bytes())}
        for loc in find_dag_files(folder)
    ]
    with transaction() as session:
        session.execute(insert(DagFile), rows)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _ms(values: list[float], fraction: float) -> int:
    return round(_percentile(values, fraction) * 1000)


def run(tmpdir: Path | None = None) -> dict:
    """Run the measurements; returns ``{"processor": {...}}`` (seconds / milliseconds)."""
    from bench.generate import generate
    from dagkeeper.processor.scan import scan
    from dagkeeper.testing.writers import write_in_place

    with tempfile.TemporaryDirectory(prefix="dagkeeper-bench-") as scratch:
        work = Path(tmpdir or scratch)
        revisions = work / "revisions"
        files = generate(revisions / "rev-0", n_small=1000, big=True, groups=True, seed=42)
        dags = work / "dags"
        dags.symlink_to(revisions / "rev-0")
        os.environ["DAGKEEPER_DAGS_FOLDER"] = str(dags)
        cold = []
        for attempt in range(COLD_RUNS):
            _fresh_database(work, f"cold_{attempt}.db")
            summary = scan(dags)
            assert summary.errors == 0 and summary.dags == len(files), summary.line()
            cold.append(summary.seconds)
        rescans = [scan(dags).seconds for _ in range(RESCAN_RUNS)]
        atomic = _watching(dags, lambda: _saves(dags, _atomic_save, 0))
        in_place = _watching(
            dags, lambda: _saves(dags, lambda p, t: write_in_place(p, t, [0.1, 0.1]), 1)
        )
        swaps = _watching(dags, lambda: _swaps(dags, revisions))
        many_watched, many_one_shot = _many_unchanged(work)
    result = {
        "files": len(files),
        "parse_workers": int(
            os.environ.get("DAGKEEPER_PARSE_WORKERS", max(2, os.cpu_count() or 2))
        ),
        "cold_parse_s": round(statistics.median(cold), 2),
        "cold_parse_runs_s": [round(s, 2) for s in cold],
        "unchanged_rescan_s": round(statistics.median(rescans), 3),
        "watch_propagation_p50_ms": _ms(atomic, 0.5),
        "watch_propagation_p99_ms": _ms(atomic, 0.99),
        "watch_edits": len(atomic),
        "in_place_propagation_p50_ms": _ms(in_place, 0.5),
        "in_place_propagation_p99_ms": _ms(in_place, 0.99),
        "swap_visible_p50_ms": _ms(swaps, 0.5),
        "swap_visible_p99_ms": _ms(swaps, 0.99),
        "swaps": len(swaps),
        "rescan_10k_watch_s": round(many_watched, 3),
        "rescan_10k_one_shot_s": round(many_one_shot, 3),
    }
    return {"processor": result}


def _print_table(result: dict) -> None:
    rows = [
        ("files", result["files"], ""),
        ("cold parse (median of 3)", f"{result['cold_parse_s']} s", "<= 20 s"),
        ("unchanged re-scan (median of 5)", f"{result['unchanged_rescan_s']} s", "<= 3 s"),
        ("atomic save → visible p50", f"{result['watch_propagation_p50_ms']} ms", ""),
        ("atomic save → visible p99", f"{result['watch_propagation_p99_ms']} ms", "<= 1000 ms"),
        ("in-place save → visible p50", f"{result['in_place_propagation_p50_ms']} ms", ""),
        (
            "in-place save → visible p99",
            f"{result['in_place_propagation_p99_ms']} ms",
            "<= 1000 ms",
        ),
        ("swap (1,000 files, 10 differ) p50", f"{result['swap_visible_p50_ms']} ms", ""),
        ("swap (1,000 files, 10 differ) p99", f"{result['swap_visible_p99_ms']} ms", "<= 1000 ms"),
        ("re-scan 10,000 unchanged (watch)", f"{result['rescan_10k_watch_s']} s", "< 1 s"),
        ("re-scan 10,000 unchanged (one-shot)", f"{result['rescan_10k_one_shot_s']} s", ""),
    ]
    for name, value, target in rows:
        print(f"{name:<38}{value!s:>12}  {target}")
    print(f"\nreproduce: {COMMAND}   (cold runs: {result['cold_parse_runs_s']})")


if __name__ == "__main__":
    _print_table(run()["processor"])

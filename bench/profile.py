"""Where the uncached grid and DAG list spend their time (issue 19: profile before optimising).

Builds the API bench's data (:func:`bench.api.prepare`: N small DAGs, the
2,000-task DAG, 50 runs of it) on SQLite, or reuses a database built before
(``--db``, so a change is measured against the same rows), then in process
(Flask test client, the admin's token, ``Cache-Control: no-cache`` so every
request is built from the database) times each endpoint (median of
``--requests``; CPU time too, which other processes on a shared
machine disturb less than wall time) and profiles as many more under pyinstrument, printing the
flat profile by own time and the call tree.

Reproduce: ``.venv/bin/python -m bench.profile --keep /tmp/dk-profile`` (first run;
prints the database URL), then ``--db sqlite:////tmp/dk-profile/dagkeeper.db``;
``--postgresql --keep DIR`` builds and profiles in a throwaway PostgreSQL cluster;
``--db URL --wrk SECONDS`` loads the endpoints with wrk instead (see :func:`load`).
``--stale N`` marks the big DAG's newest N runs' stored grid cells stale before
every request (SQLite, ``models/run_grid.py``): the grid's cold path after a
task instance changed (1) or after every run did (25).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from bench.api import NO_CACHE, prepare
from bench.generate import BIG_DAG_ID
from bench.load import wrk
from dagkeeper import db
from dagkeeper.testing.pg import PgCluster, find_bindir
from dagkeeper.testing.stack import Stack

PATHS = {
    "grid_2000x25": f"/ui/grid/{BIG_DAG_ID}?limit=25",
    "dag_list": "/api/v1/dags?limit=50",
    "dag_list_filtered": "/api/v1/dags?limit=50&tags=ops&only_active=true&order_by=-next_dagrun",
}


def _build(folder: Path, dag_count: int, url: str | None = None) -> tuple[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    url = url or f"sqlite:///{folder}/dagkeeper.db"
    stack = Stack(folder, url, DAGKEEPER_PARSE_TIMEOUT="120")
    prepare(stack, dag_count)
    (folder / "token").write_text(stack.token)
    return url, stack.token


def _staler(runs: int) -> Callable[[], None]:
    """Advance the stored grid generation of the big DAG's newest ``runs`` runs (as a write would)."""
    stale = text(
        "UPDATE dag_run_grid SET generation = generation + 1 WHERE dag_run_id IN"
        " (SELECT id FROM dag_run WHERE dag_id = :dag ORDER BY logical_date DESC LIMIT :runs)"
    )

    def make_stale() -> None:
        if runs:
            with db.transaction() as session:
                session.execute(stale, {"dag": BIG_DAG_ID, "runs": runs})

    return make_stale


def profile(url: str, token: str, requests: int, names: list[str], stale: int = 0) -> None:
    from pyinstrument import Profiler

    from dagkeeper.api import create_app

    db.configure(url)
    client = create_app().test_client()
    headers = {"Authorization": f"Bearer {token}", "Cache-Control": "no-cache"}
    make_stale = _staler(stale)
    for name in names:
        path = PATHS[name]
        for _ in range(3):  # warm imports, compiled shapes and the connection pool
            assert client.get(path, headers=headers).status_code == 200
        wall, cpu = [], []
        for _ in range(requests):
            make_stale()
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path, headers=headers)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(
            f"\n== {name} {path}: median {statistics.median(wall):.1f} ms wall, "
            f"{statistics.median(cpu):.1f} ms CPU (this process) of {requests}"
        )
        profiler = Profiler(interval=0.0005)
        for _ in range(requests):
            make_stale()
            with profiler:
                client.get(path, headers=headers)
        print(profiler.output_text(flat=True, flat_time="self", time="percent_of_total")[:3000])
        print(profiler.output_text(short_mode=True, time="percent_of_total")[:4000])


def load(url: str, token: str, seconds: int, names: list[str]) -> None:
    """wrk, 8 connections, on a 4-worker webserver over the same database, uncached.

    What ``make bench`` measures (``bench.api``), without rebuilding the data: to
    compare two checkouts in one sitting, run it once with the other checkout's
    ``backend`` first on ``PYTHONPATH`` (on a copy of the database: the webserver
    start migrates it).
    """
    folder = Path(url.removeprefix("sqlite:///")).parent
    stack = Stack(folder, url, workers=4)
    stack.token = token
    stack.start(components=("webserver",))
    try:
        headers = {"Authorization": f"Bearer {token}", **NO_CACHE}
        for name in names:
            result = wrk(stack.base_url + PATHS[name], seconds=seconds, headers=headers)
            print(f"{name}: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
                  f"{result['rps']} req/s, {result['errors']} errors")  # fmt: skip
    finally:
        stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="reuse this database (built by an earlier --keep run)")
    parser.add_argument("--keep", type=Path, help="build the data set here and keep it")
    parser.add_argument("--dags", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--only", default=",".join(PATHS))
    parser.add_argument(
        "--postgresql", action="store_true",
        help="build the data set in a throwaway PostgreSQL cluster (with --keep), profile, stop it",
    )  # fmt: skip
    parser.add_argument("--wrk", type=int, metavar="SECONDS", help="with --db: load, not profile")
    parser.add_argument(
        "--stale", type=int, default=0, metavar="RUNS",
        help="SQLite: mark the newest RUNS runs' stored grid cells stale before each request",
    )  # fmt: skip
    args = parser.parse_args()
    if args.wrk and not args.db:
        parser.error("--wrk needs --db (a SQLite database built by --keep)")
    if args.postgresql:
        if args.keep is None:
            parser.error("--postgresql needs --keep DIR (the DAG files and token go there)")
        cluster = PgCluster(find_bindir()).start()
        try:
            url, token = _build(args.keep, args.dags, cluster.create_database())
            profile(url, token, args.requests, args.only.split(","))
        finally:
            db.dispose()
            cluster.stop()
        return
    if args.db:
        url = args.db
        token = (Path(url.removeprefix("sqlite:///")).parent / "token").read_text()
        if args.wrk:
            load(url, token.strip(), args.wrk, args.only.split(","))
            return
    else:
        if args.keep is None:
            parser.error("--keep DIR (build the data set there) or --db URL (reuse it)")
        url, token = _build(args.keep, args.dags)
        print(f"database: {url}")
    profile(url, token, args.requests, args.only.split(","), args.stale)


if __name__ == "__main__":
    main()

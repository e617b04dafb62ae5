"""The grid of a DAG with a 10,000-way mapped task × 25 runs (issue 17), cached and uncached.

A real DAG file is parsed by the processor; its 250,000 mapped task
instances are inserted through the models (``dagkeeper.testing.mapped_history``),
``dagkeeper webserver`` runs with 4 workers and ``wrk`` loads the grid (one
summary cell per run for the mapped task) and one page of the drawer's
map-index list, as a client sends them (cached) and with
``Cache-Control: no-cache`` (built from the database).

Reproduce: ``.venv/bin/python -m bench --only mapping`` (``--seconds 5`` for a short run), or
``.venv/bin/python -m bench.mapping`` to print the JSON only.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from urllib.parse import quote

from bench.api import NO_CACHE, WORKERS, parse_folder
from bench.backends import per_backend
from bench.load import wrk
from dagkeeper import db
from dagkeeper.testing.mapped_history import WIDE_DAG, add_mapped_runs
from dagkeeper.testing.stack import Stack

WIDTH = 10_000
RUNS = 25


def measure(backend: str, url: str | None, seconds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="dk-bench-mapping-") as tmp:
        url = url or f"sqlite:///{tmp}/dagkeeper.db"
        stack = Stack(Path(tmp), url, workers=WORKERS)
        stack.start(components=())
        (stack.dags_folder / "bench_wide_map.py").write_text(
            WIDE_DAG.format(dag_id="bench_wide_map")
        )
        parse_folder(stack)
        db.configure(stack.db_url)
        run_ids = add_mapped_runs("bench_wide_map", "work", runs=RUNS, width=WIDTH)
        db.dispose()
        stack.start(components=("webserver",))
        newest = quote(run_ids[-1])
        paths = {
            "grid_mapped_10000x25": "/ui/grid/bench_wide_map?limit=25",
            "list_mapped_page": f"/api/v1/dags/bench_wide_map/dagRuns/{newest}/taskInstances/"
            "work/listMapped?state=failed&limit=25&offset=25",
        }
        auth = {"Authorization": f"Bearer {stack.token}"}
        try:
            loads = {
                name: {
                    "cached": wrk(stack.base_url + path, seconds=seconds, headers=auth),
                    "uncached": wrk(
                        stack.base_url + path, seconds=seconds, headers={**auth, **NO_CACHE}
                    ),
                }
                for name, path in paths.items()
            }
        finally:
            stack.stop()
    return {"backend": backend, "task_instances": RUNS * (WIDTH + 2), "endpoints": loads}


def run(backends=("sqlite", "postgresql"), seconds: int = 20) -> dict:
    return {"mapping": per_backend("mapping", backends, lambda b, url: measure(b, url, seconds))}


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))

"""What one request costs the web worker and the database, counted in-process.

The app runs in this process (``create_app`` and Flask's test client, the
same request cycle gunicorn runs) against the benchmark's database, and
SQLAlchemy's ``before_cursor_execute`` event counts every statement each
request sends, split into change-token reads (the ETag check every GET makes
first) and the rest. CPU is this process's own time per request, so it is
the web worker's share only; the database's share is measured under load by
:mod:`bench.scale` from the server's processes. Each endpoint is measured
with ``Cache-Control: no-cache`` (the cost right after a change) and as a
client sends it (answered from the worker's response cache: the steady state).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from dagkeeper import db
from dagkeeper.models.change import ChangeCounter

SAMPLES = 30
NO_CACHE = {"Cache-Control": "no-cache"}


@contextmanager
def _counting(engine) -> Iterator[dict[str, int]]:
    counts = {"queries": 0, "token_reads": 0}
    token_table = ChangeCounter.__tablename__

    def count(_conn, _cursor, statement: str, *_args) -> None:
        counts["queries"] += 1
        if f"FROM {token_table}" in statement and statement.lstrip().startswith("SELECT"):
            counts["token_reads"] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _measure(client, engine, path: str, headers: dict[str, str], samples: int) -> dict:
    client.get(path, headers=headers)  # warm: statements compiled, the response cached
    cpu, wall, queries, token_reads = [], [], [], []
    for _ in range(samples):
        with _counting(engine) as counts:
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            response = client.get(path, headers=headers)
            cpu.append((time.process_time() - cpu_start) * 1000)
            wall.append((time.perf_counter() - wall_start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.append(counts["queries"])
        token_reads.append(counts["token_reads"])
    return {
        "queries": statistics.median(queries),
        "token_reads": statistics.median(token_reads),
        "cpu_ms": round(statistics.median(cpu), 2),
        "wall_ms": round(statistics.median(wall), 2),
    }


def request_costs(
    env: dict[str, str], token: str, paths: dict[str, str], samples: int = SAMPLES
) -> dict[str, dict[str, Any]]:
    """Per endpoint, uncached (``no-cache``) and cached: statements and change-token reads
    per request, CPU ms and wall ms (medians)."""
    from dagkeeper.api import create_app

    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        engine = db.configure(env["DAGKEEPER_DB_URL"])
        client = create_app().test_client()
        auth = {"Authorization": f"Bearer {token}"}
        costs = {}
        for name, path in paths.items():
            costs[name] = {
                "uncached": _measure(client, engine, path, {**auth, **NO_CACHE}, samples),
                "cached": _measure(client, engine, path, auth, samples),
            }
        return costs
    finally:
        db.dispose()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

"""Run one suite's measurement on SQLite and on a throwaway PostgreSQL cluster."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dagkeeper.testing.pg import PgCluster, find_bindir


def per_backend(
    suite: str, backends: tuple[str, ...], measure: Callable[[str, str | None], Any]
) -> list[Any]:
    """``measure(backend, url)`` per backend; SQLite gets ``url=None`` (a scratch file)."""
    results = []
    cluster = None
    try:
        for backend in backends:
            url = None
            if backend == "postgresql":
                cluster = cluster or PgCluster(find_bindir()).start()
                url = cluster.create_database()
            print(f"{suite}: {backend} ...", flush=True)
            results.append(measure(backend, url))
    finally:
        if cluster is not None:
            cluster.stop()
    return results

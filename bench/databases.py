"""One fresh database per backend for a benchmark leg, on one PostgreSQL cluster."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dagkeeper.testing.pg import PgCluster, find_bindir


def each_database(backends: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """``(backend, url)``; url None for SQLite (the leg puts a file in its scratch folder).

    The PostgreSQL cluster starts on first use and stops when the loop ends or breaks.
    """
    cluster = None
    try:
        for backend in backends:
            url = None
            if backend == "postgresql":
                if cluster is None:
                    cluster = PgCluster(find_bindir()).start()
                url = cluster.create_database()
            yield backend, url
    finally:
        if cluster is not None:
            cluster.stop()

"""A PostgreSQL server that goes away and comes back: 503 meanwhile, then recovery.

Uses its own throwaway cluster, so stopping it cannot disturb other tests.
"""

from __future__ import annotations

import time

import pytest

from dagkeeper import db
from dagkeeper.api import create_app
from dagkeeper.migrate import migrate
from dagkeeper.testing.pg import PgCluster, find_bindir

from .factories import add_user, bearer


def _pg_ctl(cluster: PgCluster, *args: str) -> None:
    cluster._run("pg_ctl", "-D", str(cluster.dir / "data"), "-w", *args)


@pytest.fixture
def own_cluster():
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (make test installs it)")
    cluster = PgCluster(bindir).start()
    yield cluster
    cluster.stop()


def test_postgresql_outage_gives_503_and_the_worker_recovers(own_cluster, monkeypatch):
    url = own_cluster.create_database()
    migrate(url)
    monkeypatch.setenv("DAGKEEPER_DB_URL", url)
    db.configure(url)
    client = bearer(create_app(), add_user("admin", "admin"))
    try:
        assert client.get("/api/v1/dags").status_code == 200  # a pooled connection exists
        options = (
            f"-c listen_addresses=127.0.0.1 -p {own_cluster.port} -k {own_cluster.dir} -c fsync=off"
        )
        _pg_ctl(own_cluster, "-m", "fast", "stop")
        response = client.get("/api/v1/dags")
        assert response.status_code == 503
        assert response.json["detail"].startswith("database unreachable")
        assert client.get("/api/v1/health").json["database"] == "unreachable"
        _pg_ctl(own_cluster, "-l", str(own_cluster.dir / "log"), "-o", options, "start")
        deadline = time.monotonic() + 20
        while client.get("/api/v1/dags").status_code != 200:
            assert time.monotonic() < deadline, "the worker did not recover"
            time.sleep(0.1)
        assert client.get("/api/v1/health").json["status"] == "ok"
    finally:
        db.dispose()

"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL.

``db`` is parametrised over both backends; PostgreSQL runs as a throwaway
cluster on loopback started once per test process (see
:mod:`dagkeeper.testing.pg`). Set ``DAGKEEPER_TEST_PG=0`` to run SQLite only.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import dagkeeper.db
from dagkeeper.migrate import migrate
from dagkeeper.testing.pg import PgCluster, find_bindir

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_cluster():
    bindir = find_bindir()
    if os.environ.get("DAGKEEPER_TEST_PG") == "0":
        pytest.skip("PostgreSQL leg disabled by DAGKEEPER_TEST_PG=0")
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; `make test` installs it")
        pytest.skip("PostgreSQL is not installed (make test installs it)")
    cluster = PgCluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster: PgCluster) -> str:
    """A migrated database that each test clones (far faster than migrating)."""
    url = pg_cluster.create_database()
    migrate(url)
    dagkeeper.db.dispose()
    return url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate(f"sqlite:///{path}")
    return path


def _sqlite_url(template: Path, folder: Path) -> str:
    path = folder / "dagkeeper.db"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, migrated database URL on each backend."""
    if request.param == "sqlite":
        yield _sqlite_url(request.getfixturevalue("sqlite_template"), tmp_path)
        return
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    url = cluster.create_database(template=request.getfixturevalue("pg_template"))
    yield url
    dagkeeper.db.dispose()
    cluster.drop_database(url)


def _use(url: str, monkeypatch) -> str:
    monkeypatch.setenv("DAGKEEPER_DB_URL", url)
    dagkeeper.db.configure(url)
    return url


@pytest.fixture
def db(db_url, monkeypatch):
    """This process's engine points at a fresh database (both backends)."""
    yield _use(db_url, monkeypatch)
    dagkeeper.db.dispose()


@pytest.fixture
def sqlite_db(sqlite_template, tmp_path, monkeypatch):
    """Like ``db`` but SQLite only, for tests about logic rather than the backend."""
    yield _use(_sqlite_url(sqlite_template, tmp_path), monkeypatch)
    dagkeeper.db.dispose()


@pytest.fixture
def dags_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "dags"
    folder.mkdir()
    monkeypatch.setenv("DAGKEEPER_DAGS_FOLDER", str(folder))
    return folder

"""``DAG(access_control=...)`` becomes grant rows in the DAG's own publication."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dagkeeper.db import read_session
from dagkeeper.models import DagAccess
from dagkeeper.processor.scan import scan

from .helpers import dag_source, import_errors, versions, write


@pytest.fixture(autouse=True)
def _fast_parsing(monkeypatch):
    monkeypatch.setenv("DAGKEEPER_PARSE_WORKERS", "2")


def grants(dag_id: str) -> dict[str, tuple[bool, bool]]:
    with read_session() as s:
        rows = s.scalars(select(DagAccess).where(DagAccess.dag_id == dag_id))
        return {r.principal: (r.can_read, r.can_edit) for r in rows}


def guarded(access: str) -> str:
    return dag_source("guarded").replace('tags=["t"]', f'tags=["t"], access_control={access}')


def test_grants_are_published_changed_and_removed_with_the_dag(db, dags_folder):
    write(
        dags_folder,
        "g.py",
        guarded('{"finance": {"can_read", "can_edit"}, "viewer": {"can_read"}}'),
    )
    scan(dags_folder)
    assert grants("guarded") == {"finance": (True, True), "viewer": (True, False)}
    write(dags_folder, "g.py", guarded('{"finance": {"DAGs": {"can_read"}}}'))  # Airflow 2 form
    scan(dags_folder)
    assert grants("guarded") == {"finance": (True, False)}
    write(dags_folder, "g.py", dag_source("guarded"))
    scan(dags_folder)
    assert grants("guarded") == {}
    assert [v[0] for v in versions("guarded")] == [1, 2, 3]


def test_a_dag_without_access_control_keeps_its_version_hash(db, dags_folder):
    write(dags_folder, "plain.py", dag_source("plain"))
    scan(dags_folder)
    write(dags_folder, "plain.py", dag_source("plain", extra="# an edit\n"))
    scan(dags_folder)
    assert len(versions("plain")) == 1 and grants("plain") == {}


def test_an_unknown_permission_is_an_import_error_and_publishes_nothing(db, dags_folder):
    write(dags_folder, "g.py", guarded('{"finance": {"can_delete"}}'))
    scan(dags_folder)
    assert "can_read" in import_errors()["g.py"]
    assert grants("guarded") == {}

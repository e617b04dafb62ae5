"""The shipped example DAGs parse cleanly and cover every schedule kind."""

from __future__ import annotations

from sqlalchemy import select

from dagkeeper.config import REPO_ROOT
from dagkeeper.db import read_session
from dagkeeper.models import Dag
from dagkeeper.processor.scan import scan

from .helpers import import_errors


def test_example_dags_parse_without_import_errors(sqlite_db):
    summary = scan(REPO_ROOT / "examples" / "dags")
    assert import_errors() == {}
    assert summary.errors == 0
    with read_session() as session:
        rows = session.execute(select(Dag.schedule_kind, Dag.version_number)).all()
    assert {kind for kind, _ in rows} == {
        "cron", "preset", "timedelta", "once", "none",
        "cron_trigger", "multi_cron_trigger", "delta_trigger", "events",
    }  # fmt: skip
    assert len(rows) >= 8

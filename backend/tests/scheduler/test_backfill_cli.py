"""``dagkeeper backfill``: the dry run prints what create queues; list, pause, unpause, cancel."""

from __future__ import annotations

from sqlalchemy import select

from dagkeeper import db
from dagkeeper.cli import main
from dagkeeper.models import Backfill, DagRun

from .factories import dag_doc, publish

DAILY = {"kind": "preset", "expression": "@daily", "seconds": None}
RANGE = ["--dag-id", "daily", "--from", "2024-01-01", "--to", "2024-01-03T00:00:00+00:00"]
LINES = [
    "2024-01-03T00:00:00+00:00\tcreate",
    "2024-01-02T00:00:00+00:00\tcreate",
    "2024-01-01T00:00:00+00:00\tcreate",
]


def test_dry_run_then_create_then_pause_unpause_cancel(sqlite_db, capsys):
    publish(dag_doc("daily", ["a"], schedule=DAILY))
    assert main(["backfill", "create", *RANGE, "--run-backwards", "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines() == LINES
    with db.read_session() as s:
        assert s.scalars(select(DagRun)).all() == []
    assert main(["backfill", "create", *RANGE, "--run-backwards", "--max-active-runs", "2"]) == 0
    assert capsys.readouterr().out.splitlines() == ["backfill 1: 3 runs queued", *LINES]
    assert main(["backfill", "pause", "1"]) == 0
    assert main(["backfill", "list", "--dag-id", "daily"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "1\t2024-01-01T00:00:00+00:00\t2024-01-03T00:00:00+00:00\tpaused\t3 queued"
    ]
    assert main(["backfill", "unpause", "1"]) == 0
    assert main(["backfill", "cancel", "1"]) == 0
    assert main(["backfill", "list", "--dag-id", "daily"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "1\t2024-01-01T00:00:00+00:00\t2024-01-03T00:00:00+00:00\tcompleted\t3 failed"
    ]
    with db.read_session() as s:
        assert s.get(Backfill, 1).max_active_runs == 2


def test_refusals_name_what_is_wrong_and_queue_nothing(sqlite_db, capsys):
    publish(dag_doc("daily", ["a"], schedule=DAILY))
    assert main(["backfill", "create", "--dag-id", "daily", "--from", "2024-01-05",
                 "--to", "2024-01-01"]) == 1  # fmt: skip
    assert capsys.readouterr().err == "to_date: must not be before from_date\n"
    assert main(["backfill", "create", *RANGE, "--conf", "[1]"]) == 1
    assert capsys.readouterr().err == "--conf must be a JSON object\n"
    assert main(["backfill", "create", *RANGE, "--max-active-runs", "0"]) == 1
    assert main(["backfill", "create", "--dag-id", "nope", *RANGE[2:]]) == 1
    assert capsys.readouterr().err.endswith("DAG 'nope' not found\n")
    assert main(["backfill", "pause", "7"]) == 1
    with db.read_session() as s:
        assert s.scalars(select(DagRun)).all() == []

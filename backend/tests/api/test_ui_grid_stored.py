"""The grid's stored per-run cells (SQLite, migration 0022a) are never shown stale.

A grid read stores each run's concatenated cells; every later write to a task
instance, by the API, by a clear, or by an operator's SQL, must show in the next
grid exactly as the rows say (the rows are the truth: ``_from_rows``).
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import delete, insert, select, text, update

from dagkeeper import db as database
from dagkeeper.models import DagRun, DagRunGrid, TaskInstance

from .factories import add_run, document, publish, task
from .test_ui_grid import _from_rows

NO_CACHE = {"Cache-Control": "no-cache"}  # past the response cache: raw SQL bumps no token
TASKS = [task("extract"), task("transform"), task("load")]
SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _grid(client) -> dict:
    r = client.get("/ui/grid/etl", headers=NO_CACHE)
    assert r.status_code == 200, r.json
    assert (r.json["states"], r.json["mapped"]) == _from_rows(r.json)
    return r.json


def _stored() -> dict[int, tuple]:
    with database.transaction() as s:
        rows = s.execute(select(DagRunGrid)).scalars()
        return {g.dag_run_id: (g.generation, g.built, g.states) for g in rows}


def _runs(states: list[dict]) -> list[int]:
    with database.transaction() as s:
        publish(s, document("etl", tasks=TASKS))
        return [add_run(s, "etl", i, st).id for i, st in enumerate(states)]


@SQLITE
def test_every_kind_of_task_instance_write_shows_in_the_next_grid(client, db):
    done = {"extract": "success", "transform": "success", "load": "success"}
    first, second = _runs([done, {"extract": "success", "transform": "running"}])
    assert _grid(client)["states"] == ["ss", "sR", "s."]
    stored = _stored()
    assert stored == {
        first: (3, 3, "success,success,success"),  # three inserts advanced it to 3
        second: (2, 2, "success,running"),
    }
    assert _grid(client)["states"] == ["ss", "sR", "s."]  # read from the stored rows
    assert _stored() == stored

    path = "/api/v1/dags/etl/dagRuns/{}/taskInstances/{}"
    run_ids = [r["run_id"] for r in _grid(client)["runs"]]
    r = client.patch(path.format(run_ids[0], "load"), json={"state": "failed"})  # the API
    assert r.status_code == 200, r.json
    assert _grid(client)["states"] == ["ss", "sR", "f."]
    with database.transaction() as s:  # an operator's SQL: an update, an insert, a delete
        s.execute(
            update(TaskInstance)
            .where(TaskInstance.dag_run_id == second, TaskInstance.task_id == "transform")
            .values(state="success")
        )
    assert _grid(client)["states"] == ["ss", "ss", "f."]
    with database.transaction() as s:
        row = (
            s.execute(
                select(TaskInstance.__table__).where(TaskInstance.dag_run_id == second).limit(1)
            )
            .mappings()
            .one()
        )
        s.execute(
            insert(TaskInstance.__table__),
            [{**row, "id": None, "task_id": "load", "state": "queued"}],
        )
    assert _grid(client)["states"] == ["ss", "ss", "fQ"]
    with database.transaction() as s:
        s.execute(delete(TaskInstance).where(TaskInstance.dag_run_id == first))
    assert _grid(client)["states"] == [".s", ".s", ".Q"]
    clear = {"dag_run_ids": [run_ids[1]], "task_ids": ["load"], "dry_run": False}
    assert client.post("/api/v1/dags/etl/clearTaskInstances", json=clear).status_code == 200
    assert _grid(client)["states"] == [".s", ".s", ".-"]
    with database.transaction() as s:  # a task instance moved to another run stales both
        s.execute(
            update(TaskInstance)
            .where(TaskInstance.dag_run_id == second, TaskInstance.task_id == "load")
            .values(dag_run_id=first)
        )
    assert _grid(client)["states"] == [".s", ".s", "-."]


@SQLITE
def test_a_write_between_the_read_and_the_store_leaves_the_row_stale(client, db, monkeypatch):
    from dagkeeper.models import run_grid

    (run,) = _runs([{"extract": "running"}])
    real_store = run_grid._store

    def store_after_a_runner_wrote(session, stale, fresh):
        with database.transaction() as s:  # the runner commits after the grid's snapshot
            s.execute(update(TaskInstance).values(state="success"))
        real_store(session, stale, fresh)

    monkeypatch.setattr(run_grid, "_store", store_after_a_runner_wrote)
    shown = client.get("/ui/grid/etl", headers=NO_CACHE).json
    assert shown["states"] == ["R", ".", "."]  # as of the request's own snapshot
    generation, built, _ = _stored()[run]
    assert built is None and generation == 2  # "running" was not stored as current
    monkeypatch.setattr(run_grid, "_store", real_store)
    assert _grid(client)["states"] == ["s", ".", "."]
    assert _stored()[run] == (2, 2, "success")


@SQLITE
def test_a_busy_database_answers_in_full_and_stores_nothing(client, db):
    (run,) = _runs([{"extract": "success", "load": "running"}])
    _grid(client)  # stored (and the client's token stamped: its own write is done)
    with database.transaction() as s:
        s.execute(update(TaskInstance).where(TaskInstance.task_id == "load").values(state="failed"))
    holder = sqlite3.connect(db.removeprefix("sqlite:///"), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # someone else holds the write lock
        shown = client.get("/ui/grid/etl", headers=NO_CACHE)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert shown.status_code == 200
    assert shown.json["states"] == ["s", ".", "f"]
    assert _stored()[run] == (3, None, None)  # the write dropped the stale cells
    assert _grid(client)["states"] == ["s", ".", "f"]
    assert _stored()[run] == (3, 3, "success,failed")


@SQLITE
def test_a_hand_edited_row_is_rebuilt_not_shown(client, db):
    (run,) = _runs([{"extract": "success", "transform": "failed"}])
    _grid(client)
    with database.transaction() as s:  # ids and states no longer pair up
        s.execute(
            text("UPDATE dag_run_grid SET states = 'success' WHERE dag_run_id = :r"), {"r": run}
        )
    assert _grid(client)["states"] == ["s", "f", "."]
    assert _stored()[run] == (2, 2, "success,failed")


@SQLITE
def test_a_run_without_task_instances_and_a_deleted_run(client, db):
    first, empty = _runs([{"extract": "success"}, {}])
    assert _grid(client)["states"] == ["s.", "..", ".."]
    assert _stored()[empty] == (0, 0, None)
    with database.transaction() as s:
        s.execute(delete(DagRun).where(DagRun.id == first))
    assert _grid(client)["states"] == [".", ".", "."]
    assert set(_stored()) == {empty}  # the row went with its run


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgresql_stores_no_rows(client, db):
    _runs([{"extract": "success"}])
    assert _grid(client)["states"] == ["s", ".", "."]
    assert _stored() == {}

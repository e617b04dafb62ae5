"""``dagkeeper db clean``: exactly the old finished runs go, with everything hanging off them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from dagkeeper import db as database
from dagkeeper.cli import main
from dagkeeper.models import (
    Asset,
    AssetEvent,
    AssetEventQueue,
    DagRun,
    DagRunAssetEvent,
    EventLog,
    TaskInstance,
    XCom,
)
from dagkeeper.models.change import ChangeKind, changes_since, current_token
from dagkeeper.models.clean import TABLES, TI_CHILDREN, CleanScope, clean
from dagkeeper.models.task_instance import TaskInstanceHistory

from .factories import add_log, add_rendered, add_run, document, publish, task

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=100)
TASKS = ["extract", "load"]


def _run(s, dag_id: str, index: int, state: str, ended: datetime | None, queued: datetime) -> int:
    """A run whose task instances each have a log chunk, an XCom, rendered fields and a history row."""
    run = add_run(s, dag_id, index, dict.fromkeys(TASKS, "success"), state=state)
    run.end_date, run.queued_at = ended, queued
    for ti in s.scalars(select(TaskInstance).where(TaskInstance.dag_run_id == run.id)):
        add_log(s, ti, 1, [f"{dag_id} {index} {ti.task_id}\n"])
        add_rendered(s, ti, {"bash_command": "echo"})
        s.add(XCom(task_instance_id=ti.id, key="return_value", value="1"))
        s.add(TaskInstanceHistory(task_instance_id=ti.id, try_number=1, state="failed",
                                  task_id=ti.task_id, operator="BashOperator"))  # fmt: skip
    s.flush()
    return run.id


def _history() -> None:
    with database.transaction() as s:
        for dag_id in ("etl", "reports"):
            publish(s, document(dag_id, tasks=[task(t) for t in TASKS]))
        old_run = _run(s, "etl", 0, "success", OLD, OLD)
        _run(s, "etl", 1, "failed", OLD, OLD)
        running = _run(s, "etl", 2, "running", None, OLD)  # still running: kept, however old
        _run(s, "etl", 3, "queued", None, OLD)  # still queued: kept
        _run(s, "etl", 4, "success", NOW - timedelta(days=1), NOW - timedelta(days=1))
        _run(s, "reports", 0, "success", OLD, OLD)
        s.add_all([
            EventLog(at=OLD, username="ann", event="trigger", outcome="success", dag_id="etl"),
            EventLog(at=OLD, username="ann", event="trigger", outcome="success", dag_id="reports"),
            EventLog(at=NOW, username="ann", event="trigger", outcome="success", dag_id="etl"),
        ])  # fmt: skip
        _asset_events(s, old_run, running)


def _asset_events(s, old_run: int, running: int) -> None:
    """Old events go with their links to runs that go; those a kept run consumed or a DAG has
    not consumed yet stay, as do new ones."""
    asset = Asset(uri="s3://lake/a", name="a")
    s.add(asset)
    s.flush()
    events = {
        name: AssetEvent(asset_id=asset.id, source_dag_id=dag_id, timestamp=at)
        for name, dag_id, at in [
            ("consumed_by_old_run", "etl", OLD), ("consumed_by_running_run", "etl", OLD),
            ("still_queued", "etl", OLD), ("new", "etl", NOW), ("old_of_reports", "reports", OLD),
        ]
    }  # fmt: skip
    s.add_all(events.values())
    s.flush()
    s.add_all([
        DagRunAssetEvent(dag_run_id=old_run, event_id=events["consumed_by_old_run"].id),
        DagRunAssetEvent(dag_run_id=running, event_id=events["consumed_by_running_run"].id),
        AssetEventQueue(dag_id="reports", event_id=events["still_queued"].id),
    ])  # fmt: skip


def _runs_left() -> list[tuple[str, str]]:
    with database.read_session() as s:
        rows = s.execute(select(DagRun.dag_id, DagRun.state).order_by(DagRun.id)).all()
    return [tuple(row) for row in rows]


def _rows() -> dict[str, int]:
    models = {
        m.__tablename__: m
        for m in (*TI_CHILDREN, TaskInstance, DagRunAssetEvent, DagRun, AssetEvent, EventLog)
    }
    with database.read_session() as s:
        return {name: s.scalar(select(func.count()).select_from(models[name])) for name in TABLES}


def test_only_old_finished_runs_of_the_named_dag_and_their_rows_are_deleted(db, capsys):
    _history()
    assert main(["db", "clean", "--older-than", "30", "--dag", "etl", "--batch-size", "1"]) == 0
    assert _runs_left() == [
        ("etl", "running"), ("etl", "queued"), ("etl", "success"), ("reports", "success"),
    ]  # fmt: skip
    # 4 runs of 2 task instances are left, each instance with one row per child table.
    assert _rows() == {"task_log": 8, "xcom": 8, "rendered_task_fields": 8,
                       "task_instance_history": 8, "task_instance": 8,
                       "dag_run_asset_event": 1, "dag_run": 4, "asset_event": 4,
                       "event_log": 2}  # fmt: skip
    out = capsys.readouterr().out
    assert "│ asset_event           │    1 │" in out
    assert "│ dag_run               │    2 │" in out
    assert "│ task_log              │    4 │" in out
    assert "│ event_log             │    1 │" in out


def test_without_dag_every_dags_old_finished_runs_go(db):
    _history()
    with database.read_session() as s:
        token = current_token(s)
    assert main(["db", "clean", "--older-than", "30"]) == 0
    with database.read_session() as s:
        assert (None, ChangeKind.ASSET) in changes_since(s, token)[0]  # the assets views refresh
    assert _runs_left() == [("etl", "running"), ("etl", "queued"), ("etl", "success")]
    assert _rows()["task_instance"] == 6
    assert _rows()["event_log"] == 1
    with database.read_session() as s:
        kept = s.execute(
            select(AssetEvent.source_dag_id, AssetEvent.timestamp < NOW).order_by(AssetEvent.id)
        ).all()
        links = s.execute(select(DagRunAssetEvent.dag_run_id, DagRunAssetEvent.event_id)).all()
    # the event the running run consumed, the one still queued for "reports", the new one
    assert [tuple(row) for row in kept] == [("etl", True), ("etl", True), ("etl", False)]
    assert len(links) == 1


def test_a_dry_run_prints_the_counts_and_deletes_nothing(db, capsys):
    _history()
    before = _rows()
    assert main(["db", "clean", "--older-than", "30", "--dry-run"]) == 0
    assert _rows() == before
    out = capsys.readouterr().out
    assert "Would delete (dry run, nothing deleted)" in out
    assert "│ dag_run               │    3 │" in out
    assert "│ xcom                  │    6 │" in out
    assert "│ asset_event           │    2 │" in out
    assert "│ dag_run_asset_event   │    1 │" in out


def test_a_clean_changes_the_token_so_no_cached_grid_shows_deleted_runs(db, client):
    _history()
    before = client.get("/ui/grid/etl")
    assert main(["db", "clean", "--older-than", "30"]) == 0
    after = client.get("/ui/grid/etl")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert len(after.json["runs"]) == len(before.json["runs"]) - 2


def test_a_reader_keeps_getting_answers_while_a_clean_runs(db, client):
    with database.transaction() as s:
        publish(s, document("etl", tasks=[task(t) for t in TASKS]))
    with database.transaction() as s:
        for index in range(60):
            _run(s, "etl", index, "success", OLD, OLD)
    statuses: list[int] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set() or not statuses:
            statuses.append(
                client.get("/ui/grid/etl", headers={"Cache-Control": "no-cache"}).status_code
            )
            statuses.append(client.get("/api/v1/dags").status_code)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        assert main(["db", "clean", "--older-than", "30", "--batch-size", "2"]) == 0
    finally:
        done.set()
        reader.join()
    assert set(statuses) == {200}
    assert _runs_left() == []


def test_a_batch_stops_at_the_task_instance_cap_so_big_runs_do_not_make_long_transactions(db):
    with database.transaction() as s:
        publish(s, document("etl", tasks=[task(t) for t in TASKS]))
        for index in range(3):
            _run(s, "etl", index, "success", OLD, OLD)
    batches: list[tuple[int, int]] = []
    deleted = clean(
        database.transaction,
        CleanScope(NOW - timedelta(days=30)),
        batch_size=500,
        progress=lambda batch: batches.append((batch["dag_run"], batch["task_instance"])),
        max_task_instances=3,  # runs of 2 task instances: one run per transaction
    )
    assert batches == [(1, 2), (1, 2), (1, 2), (0, 0)]
    assert (deleted["dag_run"], deleted["task_instance"]) == (3, 6)

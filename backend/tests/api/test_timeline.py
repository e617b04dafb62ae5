"""Gantt of a run (every try), a task's history over runs, and the calendar of daily outcomes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dagkeeper import db as database
from dagkeeper.models import TaskInstance, TaskInstanceHistory

from .factories import START, add_run, document, publish

RUN = "scheduled__2024-01-01T00:00:00+00:00"


def with_a_retry() -> None:
    """etl run 0: extract succeeded on try 1; transform failed on try 1, then succeeded on try 2."""
    t0 = START + timedelta(days=1)
    with database.transaction() as s:
        publish(s, document("etl"))
        run = add_run(s, "etl", 0, {"extract": "success", "transform": "success", "load": None})
        tis = {ti.task_id: ti for ti in s.query(TaskInstance).filter_by(dag_run_id=run.id)}
        times = {
            "extract": (t0, t0 + timedelta(seconds=1), t0 + timedelta(seconds=10)),
            "transform": (t0 + timedelta(seconds=40), t0 + timedelta(seconds=41),
                          t0 + timedelta(seconds=50)),
        }  # fmt: skip
        for task_id, (queued, start, end) in times.items():
            ti = tis[task_id]
            ti.queued_at, ti.start_date, ti.end_date = queued, start, end
        tis["transform"].try_number = 2
        s.add(
            TaskInstanceHistory(
                task_instance_id=tis["transform"].id, task_id="transform", try_number=1,
                state="failed", queued_at=t0 + timedelta(seconds=10),
                start_date=t0 + timedelta(seconds=11), end_date=t0 + timedelta(seconds=20),
            )
        )  # fmt: skip


def test_gantt_has_one_bar_per_try_with_queued_start_and_end(client, db):
    with_a_retry()
    body = client.get("/ui/gantt/etl", query_string={"run_id": RUN}).json
    assert (body["run_id"], body["version_number"]) == (RUN, 1)
    bars = [(t["task_id"], t["try_number"], t["state"], t["current"]) for t in body["tries"]]
    assert bars == [
        ("extract", 1, "success", True),
        ("load", 0, None, True),
        ("transform", 1, "failed", False),
        ("transform", 2, "success", True),
    ]
    retry = body["tries"][2]
    assert retry["queued_at"] == "2024-01-02T00:00:10+00:00"
    assert retry["end_date"] == "2024-01-02T00:00:20+00:00"
    assert client.get("/ui/gantt/etl?run_id=nope").status_code == 404
    assert client.get("/ui/gantt/nope", query_string={"run_id": RUN}).status_code == 404


def test_gantt_without_a_run_shows_the_newest_run(client, db):
    with_a_retry()
    with database.transaction() as s:
        add_run(s, "etl", 1, {"extract": "running"})
    newest = client.get("/ui/gantt/etl").json
    listed = client.get("/api/v1/dags/etl/dagRuns?limit=1").json["dag_runs"][0]
    assert newest["run_id"] == listed["run_id"] == "scheduled__2024-01-02T00:00:00+00:00"
    assert [(t["task_id"], t["state"]) for t in newest["tries"]][0] == ("extract", "running")
    with database.transaction() as s:
        publish(s, document("idle"))
    missing = client.get("/ui/gantt/idle")
    assert missing.status_code == 404 and "a run of DAG 'idle'" in missing.json["detail"]


def test_task_history_lists_state_tries_and_duration_over_runs(client, db):
    with_a_retry()
    with database.transaction() as s:
        for index in (1, 2):
            run = add_run(s, "etl", index, {"transform": "failed" if index == 2 else "success"})
            s.flush()
            ti = s.query(TaskInstance).filter_by(dag_run_id=run.id).one()
            ti.duration = 5.0 * index
    body = client.get("/ui/task_history/etl/transform").json
    assert [(r["run_id"][11:21], r["state"], r["try_number"]) for r in body["runs"]] == [
        ("2024-01-01", "success", 2), ("2024-01-02", "success", 1), ("2024-01-03", "failed", 1)
    ]  # fmt: skip
    assert [r["duration"] for r in body["runs"]][1:] == [5.0, 10.0]
    assert len(client.get("/ui/task_history/etl/transform?limit=1").json["runs"]) == 1
    assert client.get("/ui/task_history/etl/nope").json["runs"] == []
    assert client.get("/ui/task_history/nope/transform").status_code == 404
    assert client.get("/ui/task_history/etl/transform?limit=0").status_code == 400


def test_calendar_counts_runs_per_state_per_utc_day_of_a_year(client, db):
    with database.transaction() as s:
        publish(s, document("etl"))
        for index in range(3):
            add_run(s, "etl", index, state="failed" if index == 1 else "success")
        # A second run on Jan 1st, late in the UTC day, and one in another year.
        late = add_run(s, "etl", 10)
        late.logical_date, late.run_id = datetime(2024, 1, 1, 23, 30, tzinfo=UTC), "late"
        other = add_run(s, "etl", 11)
        other.logical_date = datetime(2023, 12, 31, 23, 59, tzinfo=UTC)
    body = client.get("/ui/calendar/etl?year=2024").json
    days = {d["date"]: d["counts"] for d in body["days"]}
    assert days == {
        "2024-01-01": {"success": 2},
        "2024-01-02": {"failed": 1},
        "2024-01-03": {"success": 1},
    }
    assert client.get("/ui/calendar/etl?year=2023").json["days"] == [
        {"date": "2023-12-31", "counts": {"success": 1}}
    ]
    assert client.get("/ui/calendar/nope?year=2024").status_code == 404
    assert client.get("/ui/calendar/etl?year=20240").status_code == 400
    assert client.get("/ui/calendar/etl").json["year"] == datetime.now(UTC).year

"""DAGs with trigger and events timetables, served from stored data alone."""

from __future__ import annotations

from dagkeeper.db import transaction

from .factories import document, publish, task

EVENTS = {"kind": "events", "expression": None, "seconds": None,
          "events": ["2024-03-01T09:00:00+00:00", "2024-06-01T09:00:00+00:00"],
          "restrict_to_events": True, "description": "Quarter starts"}  # fmt: skip
CRON_TRIGGER = {"kind": "cron_trigger", "expression": "0 6 * * *", "seconds": None,
                "timezone": "UTC", "interval": 3600}  # fmt: skip


def test_a_manual_run_of_a_restricted_events_dag_covers_the_latest_event(client):
    with transaction() as s:
        publish(s, document("events_dag", tasks=[task("a")], schedule=EVENTS),
                schedule_expression="2 events", schedule_summary="Quarter starts")  # fmt: skip
    run = client.post("/api/v1/dags/events_dag/dagRuns",
                      json={"logical_date": "2024-05-10T12:00:00Z"}).json  # fmt: skip
    assert (run["data_interval_start"], run["data_interval_end"]) == (
        "2024-03-01T09:00:00+00:00", "2024-03-01T09:00:00+00:00")  # fmt: skip
    assert client.get("/api/v1/dags/events_dag").json["schedule"] == {
        "kind": "events", "expression": "2 events", "summary": "Quarter starts"}  # fmt: skip
    assert client.get("/api/v1/dags/events_dag/details").status_code == 200


def test_a_manual_run_of_a_cron_trigger_dag_covers_its_interval_before_the_trigger(client):
    with transaction() as s:
        publish(s, document("trigger_dag", tasks=[task("a")], schedule=CRON_TRIGGER))
    run = client.post("/api/v1/dags/trigger_dag/dagRuns",
                      json={"logical_date": "2024-05-10T12:00:00Z"}).json  # fmt: skip
    assert (run["data_interval_start"], run["data_interval_end"]) == (
        "2024-05-10T11:00:00+00:00", "2024-05-10T12:00:00+00:00")  # fmt: skip

"""Deleting a DAG no file defines any more, and "reparse now" requests for the processor."""

from __future__ import annotations

from sqlalchemy import func, select

from dagkeeper import db as database
from dagkeeper.models import Dag, DagFile, DagRun, DagVersion, EventLog, TaskInstance
from dagkeeper.models.component import ParseRequest

from .factories import add_run, add_user, bearer, document, grant, publish


def count(model, **where) -> int:
    with database.read_session() as s:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return s.scalar(query)


def test_a_dag_its_file_still_defines_cannot_be_deleted(client, data):
    response = client.delete("/api/v1/dags/etl")
    assert response.status_code == 409
    assert "still defined by etl.py" in response.json["detail"]
    assert count(Dag, dag_id="etl") == 1 and count(DagRun, dag_id="etl") == 2


def test_deleting_a_removed_dag_drops_its_versions_runs_and_task_instances(client, data):
    with database.transaction() as s:
        s.get(Dag, "etl").is_active = False
        publish(s, document("etl"))  # a second version
        add_run(s, "etl", 5, {"extract": "success"})
    token = client.get("/api/v1/health").json["token"]
    response = client.delete("/api/v1/dags/etl")
    assert response.status_code == 200
    assert response.json == {"dag_id": "etl", "deleted_runs": 3, "deleted_versions": 2}
    assert count(Dag, dag_id="etl") == 0
    assert count(DagVersion, dag_id="etl") == 0
    assert count(TaskInstance, dag_id="etl") == 0
    assert count(Dag, dag_id="reports") == 1  # the other DAG is untouched
    assert client.get("/api/v1/dags/etl").status_code == 404
    assert client.get("/api/v1/health").json["token"] > token  # open views refresh
    assert client.delete("/api/v1/dags/etl").status_code == 404


def test_reparse_request_is_recorded_once_per_file_for_known_files_only(client, data):
    with database.transaction() as s:
        s.add(DagFile(path="etl.py", content_hash="x"))
    first = client.post("/api/v1/parseRequests", json={"fileloc": "etl.py"})
    assert first.status_code == 202 and first.json["fileloc"] == "etl.py"
    again = client.post("/api/v1/parseRequests", json={"fileloc": "etl.py"})
    assert again.status_code == 202 and again.json["requested_at"] >= first.json["requested_at"]
    assert count(ParseRequest) == 1
    # A file whose last parse failed can be retried too (it has no DAG to name).
    assert client.post("/api/v1/parseRequests", json={"fileloc": "broken.py"}).status_code == 202
    missing = client.post("/api/v1/parseRequests", json={"fileloc": "nope.py"})
    assert missing.status_code == 404 and "nope.py" in missing.json["detail"]
    for body, field in [({}, "fileloc"), ({"fileloc": ""}, "fileloc"), ({"fileloc": 3}, "fileloc"),
                        ({"fileloc": "etl.py", "x": 1}, "x")]:  # fmt: skip
        bad = client.post("/api/v1/parseRequests", json=body)
        assert bad.status_code == 400 and field in bad.json["errors"], body
    assert count(ParseRequest) == 2


def events(event: str) -> list[tuple]:
    with database.read_session() as s:
        query = select(EventLog.username, EventLog.dag_id, EventLog.target).where(
            EventLog.event == event
        )
        return [tuple(row) for row in s.execute(query)]


def test_deletion_and_reparse_requests_are_audited(client, data):
    with database.transaction() as s:
        s.get(Dag, "etl").is_active = False
    assert client.delete("/api/v1/dags/etl").status_code == 200
    assert client.post("/api/v1/parseRequests", json={"fileloc": "broken.py"}).status_code == 202
    assert events("delete_dag") == [("test-admin", "etl", None)]
    assert events("reparse") == [("test-admin", None, "broken.py")]


def test_a_file_of_only_unreadable_dags_cannot_be_reparsed(app, data):
    with database.transaction() as s:
        s.add(DagFile(path="etl.py", content_hash="x"))
        grant(s, "etl", "finance")
    outsider = bearer(app, add_user("outsider", "op", teams=["marketing"]))
    insider = bearer(app, add_user("insider", "op", teams=["finance"]))
    assert outsider.post("/api/v1/parseRequests", json={"fileloc": "etl.py"}).status_code == 404
    assert insider.post("/api/v1/parseRequests", json={"fileloc": "etl.py"}).status_code == 202

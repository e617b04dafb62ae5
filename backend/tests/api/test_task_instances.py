from __future__ import annotations

import pytest

from dagkeeper import db
from dagkeeper.models import TaskInstance, TaskInstanceHistory, TaskLog

RUN = "scheduled__2024-01-02T00:00:00+00:00"
OK_RUN = "scheduled__2024-01-01T00:00:00+00:00"
TIS = f"/api/v1/dags/etl/dagRuns/{RUN}/taskInstances"


def test_task_instances_of_a_run(client, data):
    body = client.get(TIS).json
    assert body["total_entries"] == 4
    clean = next(t for t in body["task_instances"] if t["task_id"] == "transform.clean")
    assert (clean["state"], clean["try_number"], clean["max_tries"]) == ("failed", 1, 2)
    assert clean["run_id"] == RUN and clean["operator"] == "BashOperator"
    assert client.get(f"{TIS}?limit=1").json["total_entries"] == 4
    assert client.get("/api/v1/dags/etl/dagRuns/nope/taskInstances").status_code == 404


def test_task_instance_details_have_rendered_fields_and_tries(client, data):
    detail = client.get(f"{TIS}/transform.clean").json
    assert detail["rendered_fields"] == {"bash_command": "echo 2024-01-02"}
    assert [t["try_number"] for t in detail["tries"]] == [1]
    assert client.get(f"{TIS}/load").json["rendered_fields"] is None
    assert client.get(f"{TIS}/nope").status_code == 404


def test_logs_read_from_an_offset_for_tailing(client, data):
    log = client.get(f"{TIS}/transform.clean/logs/1").json
    assert log == {"content": "line one\nline two\nboom\n", "offset": 0, "next_offset": 23,
                   "complete": True}  # fmt: skip
    tail = client.get(f"{TIS}/transform.clean/logs/1?offset=14").json
    assert tail["content"] == "two\nboom\n" and tail["next_offset"] == 23
    assert client.get(f"{TIS}/transform.clean/logs/1?offset=23").json["content"] == ""


def test_log_etag_follows_the_log_not_the_change_token(client, data):
    url = f"{TIS}/transform.clean/logs/1"
    etag = client.get(url).headers["ETag"]
    client.patch("/api/v1/dags/reports", json={"is_paused": False})  # bumps the token
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    with db.transaction() as s:
        ti = s.query(TaskInstance).filter_by(task_id="transform.clean", state="failed").one()
        s.add(TaskLog(task_instance_id=ti.id, try_number=1, offset=23, content="more\n"))
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.json["content"].endswith("more\n")


def test_log_of_a_try_that_does_not_exist_is_404(client, data):
    assert client.get(f"{TIS}/transform.clean/logs/2").status_code == 404
    assert client.get(f"{TIS}/transform.clean/logs/0").status_code == 404
    assert client.get(f"{TIS}/transform.clean/logs/1?offset=-1").status_code == 400


def test_marking_a_task_instance(client, data):
    response = client.patch(f"{TIS}/transform.clean", json={"state": "success"})
    assert response.status_code == 200
    assert response.json["state"] == "success" and response.json["end_date"]
    assert client.patch(f"{TIS}/transform.clean", json={"state": "queued"}).status_code == 400
    assert client.patch(f"{TIS}/nope", json={"state": "failed"}).status_code == 404


def _clear(client, **body):
    return client.post("/api/v1/dags/etl/clearTaskInstances", json=body)


def test_clear_dry_run_lists_without_writing(client, data):
    response = _clear(client, dag_run_ids=[RUN], task_ids=["transform.clean"],
                      include_downstream=True, dry_run=True)  # fmt: skip
    assert response.status_code == 200, response.json
    cleared = {(t["task_id"], t["state"]) for t in response.json["task_instances"]}
    assert cleared == {("transform.clean", "failed"), ("transform.join", "upstream_failed"),
                       ("load", "upstream_failed")}  # fmt: skip
    run = client.get(f"/api/v1/dags/etl/dagRuns/{RUN}").json
    assert run["state"] == "failed"


def test_clear_archives_the_try_resets_state_and_reopens_the_run(client, data):
    response = _clear(client, dag_run_ids=[RUN], task_ids=["transform.join"],
                      include_upstream=True, only_failed=True)  # fmt: skip
    cleared = sorted(t["task_id"] for t in response.json["task_instances"])
    assert cleared == ["transform.clean", "transform.join"]
    run = client.get(f"/api/v1/dags/etl/dagRuns/{RUN}").json
    assert (run["state"], run["end_date"]) == ("running", None)
    clean = client.get(f"{TIS}/transform.clean").json
    assert (clean["state"], clean["max_tries"]) == (None, 3)
    with db.read_session() as s:
        assert s.query(TaskInstanceHistory).filter_by(task_id="transform.clean").count() == 1
    assert client.get(f"{TIS}/extract").json["state"] == "success"


def test_clear_without_task_ids_clears_every_task_of_the_runs(client, data):
    response = _clear(client, dag_run_ids=[OK_RUN, RUN], dry_run=True)
    assert len(response.json["task_instances"]) == 8


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({}, 400, "dag_run_ids"),
        ({"dag_run_ids": []}, 400, "dag_run_ids"),
        ({"dag_run_ids": [RUN], "task_ids": ["nope"]}, 400, "task_ids"),
        ({"dag_run_ids": [RUN], "only_failed": "y"}, 400, "only_failed"),
        ({"dag_run_ids": ["nope"]}, 404, None),
    ],
)
def test_clear_rejects_bad_requests_without_writing(client, data, body, status, field):
    response = _clear(client, **body)
    assert response.status_code == status
    if field:
        assert field in response.json["errors"]
    assert client.get(f"/api/v1/dags/etl/dagRuns/{RUN}").json["state"] == "failed"


def test_a_long_log_is_served_in_pages_until_complete(client, data, monkeypatch):
    from dagkeeper.api import task_instances

    monkeypatch.setattr(task_instances, "MAX_LOG_CHARS", 10)
    pages, offset = [], 0
    while True:
        page = client.get(f"{TIS}/transform.clean/logs/1?offset={offset}").json
        pages.append(page["content"])
        offset = page["next_offset"]
        if page["complete"]:
            break
    assert pages == ["line one\nl", "ine two\nbo", "om\n"]


def test_marking_a_task_of_a_finished_run_hands_the_run_back_to_the_scheduler(client, data):
    run = f"/api/v1/dags/etl/dagRuns/{OK_RUN}"
    assert client.get(run).json["state"] == "success"
    client.patch(f"{run}/taskInstances/load", json={"state": "failed"})
    reopened = client.get(run).json
    assert (reopened["state"], reopened["end_date"]) == ("running", None)


def test_clearing_a_work_task_clears_its_setup_and_teardown_too(client):
    from .factories import add_run, document, publish, task

    doc = document("infra", tasks=[
        task("create", is_setup=True), task("work"), task("report"),
        task("delete", is_teardown=True, trigger_rule="all_done_setup_success"),
    ], edges=[["create", "work"], ["work", "report"], ["work", "delete"], ["create", "delete"]])  # fmt: skip
    with db.transaction() as session:
        publish(session, doc)
        run = add_run(session, "infra", 0, {t: "success" for t in ("create", "work", "report",
                                                                   "delete")})  # fmt: skip
        run_id = run.run_id
    response = client.post("/api/v1/dags/infra/clearTaskInstances",
                           json={"dag_run_ids": [run_id], "task_ids": ["work"], "dry_run": True})  # fmt: skip
    assert response.status_code == 200, response.json
    assert sorted(t["task_id"] for t in response.json["task_instances"]) == [
        "create",
        "delete",
        "work",
    ]

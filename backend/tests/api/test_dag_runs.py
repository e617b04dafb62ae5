from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dagkeeper import db
from dagkeeper.models import DagRun

from .factories import document, publish

FAILED_RUN = "scheduled__2024-01-02T00:00:00+00:00"


def test_runs_are_listed_newest_first_with_their_version(client, data):
    body = client.get("/api/v1/dags/etl/dagRuns").json
    assert body["total_entries"] == 2
    assert [r["run_id"] for r in body["dag_runs"]] == [
        FAILED_RUN, "scheduled__2024-01-01T00:00:00+00:00"
    ]  # fmt: skip
    assert body["dag_runs"][0]["version_number"] == 1
    assert body["dag_runs"][0]["conf"] == {}


def test_runs_filter_by_state_type_and_date(client, data):
    def ids(query):
        response = client.get(f"/api/v1/dags/etl/dagRuns?{query}")
        assert response.status_code == 200, response.json
        return [r["run_id"] for r in response.json["dag_runs"]]

    assert ids("state=failed") == [FAILED_RUN]
    assert len(ids("state=failed&state=success")) == 2
    assert ids("run_type=manual") == []
    assert ids("logical_date_gte=2024-01-02T00:00:00Z") == [FAILED_RUN]
    assert len(ids("logical_date_lte=2024-01-02T00:00:00%2B00:00&order_by=logical_date")) == 2


@pytest.mark.parametrize(
    "query, field",
    [("state=exploded", "state"), ("logical_date_gte=yesterday", "logical_date_gte"),
     ("logical_date_gte=2024-01-01T00:00:00", "logical_date_gte"), ("order_by=dag", "order_by")],
)  # fmt: skip
def test_run_list_rejects_bad_filters(client, data, query, field):
    response = client.get(f"/api/v1/dags/etl/dagRuns?{query}")
    assert response.status_code == 400
    assert field in {name.split(".")[0] for name in response.json["errors"]}


def test_trigger_queues_a_manual_run_of_the_current_version(client, data):
    response = client.post(
        "/api/v1/dags/etl/dagRuns",
        json={"conf": {"target": "prod", "count": 5}, "logical_date": "2024-03-05T10:00:00Z"},
    )
    assert response.status_code == 201, response.json
    run = response.json
    assert run["run_id"] == "manual__2024-03-05T10:00:00+00:00"
    assert (run["state"], run["run_type"], run["version_number"]) == ("queued", "manual", 1)
    assert run["conf"] == {"target": "prod", "count": 5}
    assert run["data_interval_start"] == "2024-03-04T00:00:00+00:00"
    assert run["data_interval_end"] == "2024-03-05T00:00:00+00:00"
    assert client.get(f"/api/v1/dags/etl/dagRuns/{run['run_id']}").json == run


def test_the_api_and_a_task_trigger_through_one_constructor_and_make_the_same_run(client, data):
    """The API, ``TriggerDagRunOperator`` (the SDK) and the benchmarks call ``queue_manual_run``:
    same version, manual data interval, run id and conf; a taken date is ``RunExists``."""
    from dagkeeper.models import Dag, DagVersion, RunExists, queue_manual_run
    from dagkeeper.sdk.dag_runs import trigger_dag_run

    through_api = client.post(
        "/api/v1/dags/etl/dagRuns",
        json={"conf": {"target": "prod"}, "logical_date": "2024-03-05T10:00:00Z"},
    ).json
    assert through_api.get("run_id") == "manual__2024-03-05T10:00:00+00:00", through_api
    triggered = trigger_dag_run(
        "etl", conf={"target": "prod"}, logical_date=datetime(2024, 3, 6, 10, tzinfo=UTC)
    )
    through_sdk = client.get(f"/api/v1/dags/etl/dagRuns/{triggered.run_id}").json
    with db.transaction() as s:
        dag = s.get(Dag, "etl")
        version = s.get(DagVersion, dag.current_version_id)
        with pytest.raises(RunExists, match="'manual__2024-03-05T10:00:00\\+00:00' already has"):
            queue_manual_run(
                s, dag, version.id, version.read(), {}, run_id="manual__2024-03-05T10:00:00+00:00"
            )

    def shape(run):
        return {
            k: v
            for k, v in run.items()
            if k
            not in (
                "run_id",
                "logical_date",
                "queued_at",
                "data_interval_start",
                "data_interval_end",
            )
        }

    assert shape(through_sdk) == shape(through_api)
    assert (
        through_sdk["run_id"],
        through_sdk["data_interval_start"],
        through_sdk["data_interval_end"],
    ) == (
        "manual__2024-03-06T10:00:00+00:00",
        "2024-03-05T00:00:00+00:00",
        "2024-03-06T00:00:00+00:00",
    )


def test_trigger_defaults_logical_date_to_now_and_takes_a_run_id(client, data):
    response = client.post("/api/v1/dags/etl/dagRuns", json={"conf": {"target": "x"},
                                                              "run_id": "mine", "note": "hi"})  # fmt: skip
    assert response.status_code == 201
    assert response.json["run_id"] == "mine" and response.json["note"] == "hi"
    again = client.post(
        "/api/v1/dags/etl/dagRuns", json={"conf": {"target": "x"}, "run_id": "mine"}
    )
    assert again.status_code == 409


def test_a_duplicate_logical_date_is_a_conflict(client, data):
    body = {"conf": {"target": "x"}, "logical_date": "2024-01-02T00:00:00Z"}
    response = client.post("/api/v1/dags/etl/dagRuns", json=body)
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize(
    "conf, field",
    [
        ({}, "conf.target"),
        ({"target": 3}, "conf.target"),
        ({"target": "x", "count": 11}, "conf.count"),
        ({"target": "x", "count": 0}, "conf.count"),
        ({"target": "x", "count": True}, "conf.count"),
        ({"target": "x", "count": "3"}, "conf.count"),
        ({"target": "x", "mode": "medium"}, "conf.mode"),
    ],
)
def test_trigger_validates_conf_against_params(client, data, conf, field):
    response = client.post("/api/v1/dags/etl/dagRuns", json={"conf": conf})
    assert response.status_code == 400
    assert list(response.json["errors"]) == [field]
    with db.read_session() as s:
        assert s.query(DagRun).filter_by(run_type="manual").count() == 0


@pytest.mark.parametrize(
    "body, field",
    [({"conf": []}, "conf"), ({"logical_date": "soon"}, "logical_date"),
     ({"run_id": ""}, "run_id"), ({"colour": "red"}, "colour")],
)  # fmt: skip
def test_trigger_rejects_bad_bodies(client, data, body, field):
    response = client.post("/api/v1/dags/reports/dagRuns", json=body)
    assert response.status_code == 400
    assert field in response.json["errors"]


def test_trigger_of_an_inactive_or_unknown_dag_fails_cleanly(client, data):
    with db.transaction() as s:
        publish(s, document("gone"), is_active=False)
    assert client.post("/api/v1/dags/gone/dagRuns", json={}).status_code == 409
    assert client.post("/api/v1/dags/nope/dagRuns", json={}).status_code == 404
    assert client.post("/api/v1/dags/reports/dagRuns", data="x").status_code == 415


def test_marking_a_run_failed_fails_running_and_skips_waiting_tasks(client, data):
    run_id = "scheduled__2024-01-01T00:00:00+00:00"
    response = client.patch(f"/api/v1/dags/reports/dagRuns/{run_id}", json={"state": "failed"})
    assert response.status_code == 200 and response.json["state"] == "failed"
    assert response.json["end_date"] is not None
    tis = client.get(f"/api/v1/dags/reports/dagRuns/{run_id}/taskInstances").json
    states = {ti["task_id"]: ti["state"] for ti in tis["task_instances"]}
    assert states == {"extract": "success", "transform": "failed", "load": "skipped"}


def test_marking_a_run_success_marks_its_tasks_success(client, data):
    url = f"/api/v1/dags/etl/dagRuns/{FAILED_RUN}"
    assert client.patch(url, json={"state": "success"}).json["state"] == "success"
    tis = client.get(f"{url}/taskInstances").json["task_instances"]
    assert {ti["state"] for ti in tis} == {"success"}
    assert client.patch(url, json={"state": "queued"}).json["end_date"] is None


def test_run_patch_rejects_bad_states_and_unknown_runs(client, data):
    url = f"/api/v1/dags/etl/dagRuns/{FAILED_RUN}"
    assert client.patch(url, json={"state": "running"}).status_code == 400
    assert client.patch(url + "x", json={"state": "failed"}).status_code == 404
    assert client.get(url + "x").status_code == 404


def test_a_task_trigger_is_refused_the_conf_the_api_refuses(client, data):
    """A required param without a default is missing, or a param has the wrong type: the API
    answers 400 naming it, and ``TriggerDagRunOperator`` fails with the same words."""
    from dagkeeper.sdk.dag_runs import DagRunError, trigger_dag_run

    runs = client.get("/api/v1/dags/etl/dagRuns").json["total_entries"]
    for conf, key, words in [
        ({}, "conf.target", "is required and has no default"),
        ({"target": "prod", "count": "five"}, "conf.count", "must be of type integer"),
    ]:
        refused = client.post("/api/v1/dags/etl/dagRuns", json={"conf": conf})
        assert (refused.status_code, refused.json["errors"][key]) == (400, [words])
        with pytest.raises(DagRunError, match=f"^{key} {words} \\(a param of DAG 'etl'\\)$"):
            trigger_dag_run("etl", conf=conf)
    assert client.get("/api/v1/dags/etl/dagRuns").json["total_entries"] == runs

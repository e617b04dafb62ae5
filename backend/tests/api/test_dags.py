from __future__ import annotations

import pytest

from dagkeeper import db

from .factories import add_run, document, publish


def test_dag_list_shows_each_active_dag_with_tags_schedule_and_recent_runs(client, data):
    response = client.get("/api/v1/dags")
    assert response.status_code == 200
    body = response.json
    assert body["total_entries"] == 2
    etl, reports = body["dags"]
    assert etl["dag_id"] == "etl"
    assert etl["tags"] == ["daily", "etl"]
    assert etl["schedule"] == {"kind": "cron", "expression": "@daily", "summary": "At 00:00"}
    assert [r["state"] for r in etl["recent_runs"]] == ["success", "failed"]
    assert etl["latest_run"]["state"] == "failed"
    assert etl["version_number"] == 1
    assert reports["is_paused"] is True


def test_dag_list_filters_by_search_tags_paused_and_pages(client, data):
    def ids(query):
        response = client.get(f"/api/v1/dags?{query}")
        assert response.status_code == 200, response.json
        return [d["dag_id"] for d in response.json["dags"]], response.json["total_entries"]

    assert ids("search=ETL") == (["etl"], 1)
    assert ids("search=pipeline") == (["etl", "reports"], 2)
    assert ids("tags=reports&tags=daily") == (["etl", "reports"], 2)
    assert ids("tags=reports") == (["reports"], 1)
    assert ids("paused=true") == (["reports"], 1)
    assert ids("paused=false") == (["etl"], 1)
    assert ids("limit=1&offset=1") == (["reports"], 2)
    assert ids("order_by=-dag_id") == (["reports", "etl"], 2)
    assert ids("has_import_errors=true") == ([], 0)


def test_search_matches_like_wildcards_and_the_escape_character_literally(client, data):
    with db.transaction() as s:
        for dag_id in ("a_b", "axb", "p%q", "pzq", "x/y", "x//y"):
            publish(s, document(dag_id))

    def ids(search):
        response = client.get("/api/v1/dags", query_string={"search": search})
        return [d["dag_id"] for d in response.json["dags"]], response.json["total_entries"]

    assert ids("A_B") == (["a_b"], 1)
    assert ids("p%") == (["p%q"], 1)
    assert ids("x/y") == (["x/y"], 1)
    assert ids("/") == (["x//y", "x/y"], 2)


def test_dag_list_orders_by_last_run_date_with_dags_without_runs_last(client, data):
    with db.transaction() as s:
        publish(s, document("idle"))
        add_run(s, "reports", 5)
    response = client.get("/api/v1/dags?order_by=-last_run_date")
    assert [d["dag_id"] for d in response.json["dags"]] == ["reports", "etl", "idle"]
    response = client.get("/api/v1/dags?order_by=last_run_state")
    assert [d["dag_id"] for d in response.json["dags"]] == ["etl", "reports", "idle"]


def test_inactive_dags_are_hidden_unless_asked_for(client, data):
    with db.transaction() as s:
        publish(s, document("gone"), is_active=False)
    assert client.get("/api/v1/dags").json["total_entries"] == 2
    assert client.get("/api/v1/dags?only_active=false").json["total_entries"] == 3


def test_recent_runs_keep_the_last_ten_oldest_first(client, db):
    with db_transaction() as s:
        publish(s, document("busy"))
        for index in range(12):
            add_run(s, "busy", index)
    dag = client.get("/api/v1/dags/busy").json
    assert len(dag["recent_runs"]) == 10
    assert dag["recent_runs"][0]["run_id"] == "scheduled__2024-01-03T00:00:00+00:00"
    assert dag["latest_run"]["run_id"] == "scheduled__2024-01-12T00:00:00+00:00"


db_transaction = db.transaction


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("paused=maybe", "paused"),
        ("order_by=color", "order_by"),
        ("bogus=1", "bogus"),
    ],
)
def test_dag_list_rejects_bad_query_parameters_naming_the_field(client, db, query, field):
    response = client.get(f"/api/v1/dags?{query}")
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert field in response.json["errors"]


def test_unknown_dag_is_a_problem_404(client, data):
    for path in ("", "/details", "/tasks", "/tasks/extract", "/source", "/versions",
                 "/versions/1", "/dagRuns"):  # fmt: skip
        response = client.get(f"/api/v1/dags/nope{path}")
        assert response.status_code == 404, path
        assert response.content_type == "application/problem+json"
        assert response.json["status"] == 404


def test_details_come_from_the_stored_document(client, data):
    details = client.get("/api/v1/dags/etl/details").json
    assert details["params"]["count"]["default"] == 3
    assert details["doc_md"] == "# etl"
    assert details["task_count"] == 4
    assert details["default_args"] == {"retries": 1}
    assert details["start_date"] == "2024-01-01T00:00:00+00:00"


def test_tasks_list_upstream_and_downstream_from_edges(client, data):
    tasks = {t["task_id"]: t for t in client.get("/api/v1/dags/etl/tasks").json["tasks"]}
    assert tasks["transform.clean"]["upstream_task_ids"] == ["extract"]
    assert tasks["transform.clean"]["downstream_task_ids"] == ["transform.join"]
    assert tasks["transform.clean"]["group"] == "transform"
    one = client.get("/api/v1/dags/etl/tasks/load").json
    assert one["upstream_task_ids"] == ["transform.join"]
    assert client.get("/api/v1/dags/etl/tasks/nope").status_code == 404


def test_source_and_versions_follow_each_publication(client, data):
    with db.transaction() as s:
        publish(s, document("etl", tasks=[]))
    versions = client.get("/api/v1/dags/etl/versions").json
    assert [v["version_number"] for v in versions["versions"]] == [2, 1]
    assert versions["versions"][0]["task_count"] == 0
    assert client.get("/api/v1/dags/etl/source").json["version_number"] == 2
    old = client.get("/api/v1/dags/etl/source?version=1").json
    assert old["version_number"] == 1 and old["source"].startswith("# source of etl")
    version = client.get("/api/v1/dags/etl/versions/1").json
    assert version["document"]["dag_id"] == "etl"
    assert len(version["document"]["tasks"]) == 4
    assert client.get("/api/v1/dags/etl/versions/9").status_code == 404
    assert client.get("/api/v1/dags/etl/source?version=0").status_code == 400


def test_patch_pauses_and_unpauses_and_advances_the_token(client, data):
    before = client.get("/api/v1/health").json["token"]
    response = client.patch("/api/v1/dags/etl", json={"is_paused": True})
    assert response.status_code == 200 and response.json["is_paused"] is True
    assert client.get("/api/v1/health").json["token"] == before + 1
    changes = client.get(f"/ui/changes?since={before}").json["changes"]
    assert changes == [{"dag_id": "etl", "kind": "dag"}]
    assert client.patch("/api/v1/dags/etl", json={"is_paused": False}).json["is_paused"] is False


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"is_paused": "yes please"}, 400, "is_paused"),
        ({}, 400, "is_paused"),
        ({"is_paused": True, "owner": "me"}, 400, "owner"),
    ],
)
def test_patch_rejects_bad_bodies(client, data, body, status, field):
    response = client.patch("/api/v1/dags/etl", json=body)
    assert response.status_code == status
    assert field in response.json["errors"]


def test_patch_needs_json_and_a_bounded_body(client, data):
    response = client.patch("/api/v1/dags/etl", data="is_paused=true")
    assert response.status_code == 415
    response = client.patch(
        "/api/v1/dags/etl", data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 413
    response = client.patch("/api/v1/dags/etl", data="{nope", content_type="application/json")
    assert response.status_code == 400
    assert client.patch("/api/v1/dags/nope", json={"is_paused": True}).status_code == 404


def test_tasks_and_details_show_the_peers_task_and_dag_arguments(client, db):
    from dagkeeper.db import transaction

    from .factories import document, publish, task

    doc = document("peerish", tasks=[
        task("create", is_setup=True, priority_weight=3, pool="db", pool_slots=2, queue="q"),
        task("work", display_name="Do the work", depends_on_past=True, weight_rule="absolute"),
        task("delete", is_teardown=True, trigger_rule="all_done_setup_success"),
    ])  # fmt: skip
    doc.update(display_name="Peer-ish", dagrun_timeout=90)
    with transaction() as session:
        publish(session, doc)
    tasks = {t["task_id"]: t for t in client.get("/api/v1/dags/peerish/tasks").json["tasks"]}
    assert {k: tasks["create"][k] for k in ("is_setup", "priority_weight", "pool", "pool_slots",
                                            "queue")} == {"is_setup": True, "priority_weight": 3,
                                                          "pool": "db", "pool_slots": 2, "queue": "q"}  # fmt: skip
    assert (tasks["work"]["display_name"], tasks["work"]["depends_on_past"]) == (
        "Do the work",
        True,
    )
    assert tasks["work"]["weight_rule"] == "absolute" and tasks["delete"]["is_teardown"]
    details = client.get("/api/v1/dags/peerish/details").json
    assert (details["display_name"], details["dagrun_timeout"]) == ("Peer-ish", 90)

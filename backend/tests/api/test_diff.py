"""``/ui/diff``: what a new version of a DAG added, removed and changed, from stored documents."""

from __future__ import annotations

from dagkeeper import db as database

from .factories import add_run, document, group, publish, task

EMPTY = {
    "tasks": {"added": [], "removed": [], "changed": []},
    "edges": {"added": [], "removed": []},
}


def publish_version(doc: dict) -> None:
    with database.transaction() as s:
        publish(s, doc)


def two_versions(old: dict, new: dict) -> None:
    with database.transaction() as s:
        publish(s, old)
        add_run(s, old["dag_id"], 0)
        publish(s, new)
        add_run(s, new["dag_id"], 1)


def test_added_removed_and_changed_tasks_and_edges(client, db):
    two_versions(
        document("etl", tasks=[task("extract"), task("clean"), task("load")]),
        document(
            "etl",
            tasks=[task("extract", retries=3, trigger_rule="all_done"), task("load"),
                   task("audit", operator="PythonOperator")],
            edges=[["extract", "load"], ["load", "audit"]],
        ),
    )  # fmt: skip
    body = client.get("/ui/diff/etl?from=1&to=2").json
    assert (body["from_version"], body["to_version"]) == (1, 2)
    assert body["tasks"] == {
        "added": ["audit"],
        "removed": ["clean"],
        "changed": [{"task_id": "extract", "fields": ["retries", "trigger_rule"]}],
    }
    assert body["edges"] == {
        "added": [["extract", "load"], ["load", "audit"]],
        "removed": [["clean", "load"], ["extract", "clean"]],
    }
    backwards = client.get("/ui/diff/etl?from=2&to=1").json
    assert backwards["tasks"]["added"] == ["clean"] and backwards["tasks"]["removed"] == ["audit"]
    assert backwards["edges"]["added"] == body["edges"]["removed"]


def test_templated_fields_and_group_moves_are_named(client, db):
    old = document(
        "etl",
        tasks=[task("a", group="g"), task("b")],
        groups=[group("g"), group("h")],
        edges=[["a", "b"]],
    )
    new = document(
        "etl",
        tasks=[task("a", group="h"), task("b", template_values={"bash_command": "echo hi"})],
        groups=[group("g"), group("h")],
        edges=[["a", "b"]],
    )
    two_versions(old, new)
    body = client.get("/ui/diff/etl?from=1&to=2").json
    assert body["tasks"]["changed"] == [
        {"task_id": "a", "fields": ["group"]},
        {"task_id": "b", "fields": ["template_values"]},
    ]
    assert body["edges"] == EMPTY["edges"] and body["tasks"]["added"] == []


def test_identical_versions_give_an_empty_diff(client, db):
    two_versions(document("etl"), document("etl", tags=["changed"]))
    same = client.get("/ui/diff/etl?from=2&to=2").json
    assert {k: same[k] for k in EMPTY} == EMPTY and same["dag_fields"] == []
    # Only a DAG attribute changed: no task or edge moved, the DAG field is named.
    tags_only = client.get("/ui/diff/etl?from=1&to=2").json
    assert {k: tags_only[k] for k in EMPTY} == EMPTY and tags_only["dag_fields"] == ["tags"]


def test_a_key_an_older_document_left_out_equals_its_default(client, db):
    # Version 1 was written before tasks had pools and queues; version 2 names the defaults.
    defaults = {"pool": "default_pool", "queue": None, "pool_slots": 1}
    two_versions(
        document("etl", tasks=[task("extract"), task("load")], edges=[["extract", "load"]]),
        document(
            "etl",
            tasks=[task("extract", **defaults), task("load", **defaults | {"pool_slots": 2})],
            edges=[["extract", "load"]],
        ),
    )
    body = client.get("/ui/diff/etl?from=1&to=2").json
    assert body["tasks"]["changed"] == [{"task_id": "load", "fields": ["pool_slots"]}]
    assert body["edges"] == EMPTY["edges"] and body["dag_fields"] == []


def test_comparing_two_runs_compares_the_versions_they_ran_with(client, db):
    two_versions(document("etl"), document("etl", tasks=[task("extract"), task("load")]))
    first, second = "scheduled__2024-01-01T00:00:00+00:00", "scheduled__2024-01-02T00:00:00+00:00"
    body = client.get("/ui/diff/etl", query_string={"from_run": first, "to_run": second}).json
    assert (body["from_version"], body["to_version"]) == (1, 2)
    assert body["tasks"]["removed"] == ["transform"]
    mixed = client.get("/ui/diff/etl", query_string={"from": 2, "to_run": first}).json
    assert mixed["tasks"]["added"] == ["transform"]


def test_without_a_to_side_the_current_version_is_compared(client, db):
    two_versions(document("etl"), document("etl", tasks=[task("extract"), task("load")]))
    body = client.get("/ui/diff/etl?from=1").json
    assert (body["from_version"], body["to_version"]) == (1, 2)
    assert body["tasks"]["removed"] == ["transform"]
    publish_version(document("etl", tasks=[task("extract")]))
    assert client.get("/ui/diff/etl?from=1").json["to_version"] == 3


def test_unknown_versions_runs_and_dags_are_404_and_bad_queries_400(client, db):
    two_versions(document("etl"), document("etl", tasks=[task("extract")]))
    assert client.get("/ui/diff/etl?from=1&to=9").status_code == 404
    assert "version 9" in client.get("/ui/diff/etl?from=1&to=9").json["detail"]
    assert client.get("/ui/diff/etl?from=9&to=1").status_code == 404
    assert client.get("/ui/diff/etl?from_run=nope&to=1").status_code == 404
    missing_dag = client.get("/ui/diff/nope?from=1&to=2")
    assert missing_dag.status_code == 404 and "DAG 'nope'" in missing_dag.json["detail"]
    for query, field in [
        ("to=1", "from"), ("", "from"), ("from=x&to=1", "from"), ("from=0&to=1", "from"),
        ("from=1&from_run=r&to=1", "from_run"), ("from=1&to=2&to_run=r", "to_run"),
        ("from=1&to=2&extra=1", "extra"),
    ]:  # fmt: skip
        response = client.get(f"/ui/diff/etl?{query}")
        assert response.status_code == 400, query
        assert response.headers["Content-Type"] == "application/problem+json"
        assert field in response.json["errors"], (query, response.json)

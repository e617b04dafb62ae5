from __future__ import annotations

import json

from dagkeeper import db
from dagkeeper.models import DagVersion

from .factories import add_run, document, publish, task


def test_structure_is_the_stored_document_spliced_into_its_envelope(client, data):
    response = client.get("/ui/structure/etl")
    assert response.status_code == 200
    body = response.json
    assert (body["dag_id"], body["version_number"]) == ("etl", 1)
    with db.read_session() as s:
        stored = s.query(DagVersion).filter_by(dag_id="etl").one()
        assert body["hash"] == stored.hash
        assert response.get_data(as_text=True).endswith(f',"structure":{stored.structure}}}')
    nodes = [n["id"] for n in body["structure"]["nodes"]]
    assert nodes == ["extract", "transform.clean", "transform.join", "load"]
    assert body["structure"]["groups"][0]["children"] == [
        {"type": "task", "id": "transform.clean"}, {"type": "task", "id": "transform.join"}
    ]  # fmt: skip


def test_structure_of_an_old_run_is_the_version_it_ran_with(client, data):
    with db.transaction() as s:
        publish(s, document("reports", tasks=[task("only")]))
    run_id = "scheduled__2024-01-01T00:00:00+00:00"
    old = client.get("/ui/structure/reports", query_string={"run_id": run_id}).json
    assert old["version_number"] == 1 and len(old["structure"]["nodes"]) == 3
    current = client.get("/ui/structure/reports").json
    assert current["version_number"] == 2 and len(current["structure"]["nodes"]) == 1
    assert client.get("/ui/structure/reports?version=1").json["hash"] == old["hash"]


def test_structure_rejects_unknown_versions_runs_and_conflicting_parameters(client, data):
    assert client.get("/ui/structure/etl?version=7").status_code == 404
    assert client.get("/ui/structure/etl?run_id=nope").status_code == 404
    assert client.get("/ui/structure/nope").status_code == 404
    assert client.get("/ui/structure/etl?version=1&run_id=x").status_code == 400
    assert client.get("/ui/structure/etl?version=one").status_code == 400


def test_grid_encodes_one_state_character_per_run_in_tree_order(client, data):
    grid = client.get("/ui/grid/etl").json
    assert [r["run_id"][11:21] for r in grid["runs"]] == ["2024-01-01", "2024-01-02"]
    assert grid["task_ids"] == ["extract", "transform.clean", "transform.join", "load"]
    assert grid["states"] == ["ss", "sf", "su", "su"]
    assert grid["has_more"] is False
    assert grid["state_codes"]["u"] == "upstream_failed"
    reports = client.get("/ui/grid/reports").json
    assert dict(zip(reports["task_ids"], reports["states"], strict=True)) == {
        "extract": "s", "transform": "R", "load": "-"
    }  # fmt: skip


def test_grid_pages_backwards_with_before(client, db):
    with db_transaction() as s:
        publish(s, document("many"))
        for index in range(5):
            add_run(s, "many", index, {"extract": "success"} if index % 2 else {})
    first = client.get("/ui/grid/many?limit=2").json
    assert [r["run_id"][11:21] for r in first["runs"]] == ["2024-01-04", "2024-01-05"]
    assert first["has_more"] is True
    assert first["states"][0] == "s."
    before = first["runs"][0]["run_id"]
    older = client.get("/ui/grid/many", query_string={"limit": 2, "before": before}).json
    assert [r["run_id"][11:21] for r in older["runs"]] == ["2024-01-02", "2024-01-03"]
    before = older["runs"][0]["run_id"]
    last = client.get("/ui/grid/many", query_string={"limit": 2, "before": before}).json
    assert len(last["runs"]) == 1 and last["has_more"] is False
    assert client.get("/ui/grid/many?before=nope").status_code == 404
    assert client.get("/ui/grid/many?limit=0").status_code == 400


db_transaction = db.transaction


def test_changes_returns_304_until_something_changes(client, data):
    token = client.get("/api/v1/health").json["token"]
    response = client.get(f"/ui/changes?since={token}")
    assert response.status_code == 304 and response.data == b""
    client.post("/api/v1/dags/etl/dagRuns", json={"conf": {"target": "x"}})
    body = client.get(f"/ui/changes?since={token}").json
    assert body == {"token": token + 1, "changes": [{"dag_id": "etl", "kind": "run"}],
                    "truncated": False}  # fmt: skip
    everything = client.get("/ui/changes?since=0").json
    assert {"dag_id": None, "kind": "import_error"} in everything["changes"]
    assert client.get(f"/ui/changes?since={token + 50}").json["truncated"] is True
    assert client.get("/ui/changes").status_code == 400
    assert client.get("/ui/changes?since=-1").status_code == 400


def test_import_errors_are_listed(client, data):
    body = client.get("/api/v1/importErrors").json
    assert body["total_entries"] == 1
    error = body["import_errors"][0]
    assert error["filename"] == "broken.py" and "SyntaxError" in error["message"]
    assert error["stack_trace"].startswith("Traceback")
    assert client.get("/api/v1/importErrors?order_by=nope").status_code == 400


def test_structure_bytes_are_valid_json(client, data):
    json.loads(client.get("/ui/structure/etl").data)


def test_grid_of_a_dag_without_runs_has_an_empty_row_per_task(client, data):
    with db.transaction() as s:
        publish(s, document("fresh"))
    grid = client.get("/ui/grid/fresh").json
    assert grid["runs"] == [] and grid["states"] == ["", "", ""]


def test_a_poller_behind_the_pruned_log_is_told_to_refetch_everything(client, data):
    from dagkeeper.models.change import prune_change_log

    token = client.get("/api/v1/health").json["token"]
    with db_transaction() as session:
        prune_change_log(session, keep=1)
    assert client.get(f"/ui/changes?since={token - 2}").json == {
        "token": token, "changes": [], "truncated": True
    }  # fmt: skip
    client.post("/api/v1/dags/etl/dagRuns", json={"conf": {"target": "x"}})
    assert client.get(f"/ui/changes?since={token}").json["changes"] == [
        {"dag_id": "etl", "kind": "run"}
    ]  # fmt: skip


def test_grid_of_one_run_uses_the_version_it_ran_with(client, data):
    run_id = "scheduled__2024-01-02T00:00:00+00:00"
    one = client.get("/ui/grid/etl", query_string={"run_id": run_id}).json
    assert [r["run_id"] for r in one["runs"]] == [run_id]
    assert one["task_ids"] == ["extract", "transform.clean", "transform.join", "load"]
    assert one["states"] == ["s", "f", "u", "u"] and one["has_more"] is False
    with db.transaction() as s:
        publish(s, document("etl", tasks=[task("only")]))
    old = client.get("/ui/grid/etl", query_string={"run_id": run_id}).json
    assert old["version_number"] == 1 and old["task_ids"] == one["task_ids"]
    assert client.get("/ui/grid/etl").json["task_ids"] == ["only"]


def test_grid_of_one_run_rejects_unknown_runs_and_a_conflicting_before(client, data):
    assert client.get("/ui/grid/etl?run_id=nope").status_code == 404
    conflict = client.get("/ui/grid/etl?run_id=x&before=y")
    assert conflict.status_code == 400 and "run_id" in conflict.json["errors"]


def test_grid_and_task_instances_show_sensor_and_deferred_states(client, db):
    """The states a paused try leaves (a rescheduled sensor, a deferred task) render everywhere."""
    with db_transaction() as s:
        publish(s, document("waits", tasks=[task("poke"), task("defer"), task("after")]))
        add_run(s, "waits", 0, {"poke": "up_for_reschedule", "defer": "deferred"})
    grid = client.get("/ui/grid/waits").json
    assert dict(zip(grid["task_ids"], grid["states"], strict=True)) == {
        "poke": "w", "defer": "d", "after": "."
    }  # fmt: skip
    assert (grid["state_codes"]["w"], grid["state_codes"]["d"]) == ("up_for_reschedule", "deferred")
    run_id = grid["runs"][0]["run_id"]
    listed = client.get(f"/api/v1/dags/waits/dagRuns/{run_id}/taskInstances").json
    assert {t["task_id"]: t["state"] for t in listed["task_instances"]} == {
        "poke": "up_for_reschedule", "defer": "deferred"
    }  # fmt: skip

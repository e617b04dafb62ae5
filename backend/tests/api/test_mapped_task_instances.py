"""A mapped task through the API: its map indexes paged and filtered, the grid's one row,
the graph's badge data, and clearing a single map index."""

from __future__ import annotations

from urllib.parse import quote

from dagkeeper import db
from dagkeeper.testing.mapped_history import add_mapped_runs

from .factories import document, publish, task

WIDTH = 300
MAPPED = task(
    "process", operator="PythonOperator",
    expand={"kind": "dict", "arguments": [
        {"name": "x", "source": {"type": "xcom", "task_id": "extract", "key": "return_value"}}
    ]},
)  # fmt: skip


def _mapped_dag() -> list[str]:
    with db.transaction() as s:
        publish(s, document("fanout", tasks=[task("extract"), MAPPED, task("load")]))
    return add_mapped_runs("fanout", "process", runs=2, width=WIDTH)


def _tis(run_id: str) -> str:
    return f"/api/v1/dags/fanout/dagRuns/{run_id}/taskInstances"


def test_list_mapped_pages_and_filters_map_indexes_by_state(client, db):
    _, newest = _mapped_dag()
    body = client.get(f"{_tis(newest)}/process/listMapped?state=failed&limit=2&offset=1").json
    rows = [(t["task_id"], t["map_index"], t["state"]) for t in body["task_instances"]]
    assert rows == [("process", 199, "failed"), ("process", 299, "failed")]
    assert body["total_entries"] == 3
    assert body["state_counts"] == {"success": 178, "running": 30, "failed": 3, "none": 89}
    first = client.get(f"{_tis(newest)}/process/listMapped?limit=3").json["task_instances"]
    assert [t["map_index"] for t in first] == [0, 1, 2]
    waiting = client.get(f"{_tis(newest)}/process/listMapped?state=none&limit=1").json
    assert (waiting["task_instances"][0]["map_index"], waiting["total_entries"]) == (0, 89)
    assert client.get(f"{_tis(newest)}/nope/listMapped").status_code == 404


def test_one_map_index_by_path_or_query_and_unmapped_tasks_as_before(client, db):
    _, newest = _mapped_dag()
    by_path = client.get(f"{_tis(newest)}/process/99").json
    by_query = client.get(f"{_tis(newest)}/process?map_index=99").json
    assert by_path == by_query
    assert (by_path["map_index"], by_path["state"], by_path["tries"]) == (99, "failed", [
        {"try_number": 1, "state": "failed", "start_date": None, "end_date": None,
         "duration": None, "hostname": None, "pid": None, "queue": None}
    ])  # fmt: skip
    assert client.get(f"{_tis(newest)}/load").json["map_index"] == -1
    missing = client.get(f"{_tis(newest)}/process/{WIDTH}")
    assert (missing.status_code, missing.json["detail"]) == (
        404, f"map index {WIDTH} of task instance 'process' of run '{newest}' not found"
    )  # fmt: skip


def test_grid_shows_a_mapped_task_as_one_row_with_counts_per_run(client, db):
    oldest, newest = _mapped_dag()
    grid = client.get("/ui/grid/fanout").json
    assert grid["task_ids"] == ["extract", "process", "load"]
    assert grid["states"] == ["ss", "sf", "ss"]  # a failed map index is what the cell shows
    assert grid["mapped"] == {
        "process": [{"success": WIDTH}, {"success": 178, "running": 30, "failed": 3, "none": 89}]
    }
    one = client.get(f"/ui/grid/fanout?run_id={quote(oldest)}").json
    assert (one["states"], one["mapped"]) == (["s", "s", "s"], {"process": [{"success": WIDTH}]})


def test_structure_marks_the_mapped_task(client, db):
    _mapped_dag()
    nodes = client.get("/ui/structure/fanout").json["structure"]["nodes"]
    assert {n["id"]: n.get("is_mapped", False) for n in nodes} == {
        "extract": False, "process": True, "load": False
    }  # fmt: skip


def test_clearing_one_map_index_clears_only_it(client, db):
    oldest, _ = _mapped_dag()
    response = client.post(
        "/api/v1/dags/fanout/clearTaskInstances",
        json={"dag_run_ids": [oldest], "task_ids": ["process"], "map_indexes": [7]},
    )
    assert response.json == {"task_instances": [
        {"dag_id": "fanout", "run_id": oldest, "task_id": "process", "map_index": 7,
         "state": "success"}
    ]}  # fmt: skip
    counts = client.get(f"{_tis(oldest)}/process/listMapped?limit=1").json["state_counts"]
    assert counts == {"success": WIDTH - 1, "none": 1}
    assert client.get(f"{_tis(oldest)}/process/7").json["state"] is None


def test_clearing_a_whole_mapped_task_unexpands_it(client, db):
    oldest, _ = _mapped_dag()
    response = client.post(
        "/api/v1/dags/fanout/clearTaskInstances",
        json={"dag_run_ids": [oldest], "task_ids": ["process"]},
    )
    assert len(response.json["task_instances"]) == WIDTH
    rows = client.get(_tis(oldest)).json["task_instances"]
    assert [(t["task_id"], t["map_index"], t["state"]) for t in rows] == [
        ("extract", -1, "success"), ("load", -1, "success"), ("process", -1, None)
    ]  # fmt: skip

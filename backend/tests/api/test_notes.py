"""Notes on runs and task instances: set, clear, returned everywhere, audited, guarded."""

from __future__ import annotations

from dagkeeper import db

from .factories import add_user, bearer, grant

RUN = "scheduled__2024-01-02T00:00:00+00:00"
RUN_URL = f"/api/v1/dags/etl/dagRuns/{RUN}"
TI_URL = f"{RUN_URL}/taskInstances/transform.clean"


def _note_events(client) -> list[tuple]:
    events = client.get("/api/v1/eventLogs?event=set_note").json["event_logs"]
    return [(e["username"], e["dag_id"], e["target"], e["outcome"], e["detail"]) for e in events]


def test_a_run_note_is_set_returned_and_cleared(client, data):
    before = client.get(RUN_URL).json
    assert before["note"] is None
    response = client.patch(f"{RUN_URL}/setNote", json={"note": "re-ran after the fix\nsee #12"})
    assert response.status_code == 200
    assert response.json == {**before, "note": "re-ran after the fix\nsee #12"}
    assert client.get(RUN_URL).json == response.json
    listed = client.get("/api/v1/dags/etl/dagRuns").json["dag_runs"]
    assert [r["note"] for r in listed if r["run_id"] == RUN] == ["re-ran after the fix\nsee #12"]
    cleared = client.patch(f"{RUN_URL}/setNote", json={"note": None})
    assert cleared.json == before
    assert _note_events(client) == [
        ("test-admin", "etl", RUN, "success", {"new_length": 0, "old_length": 28}),
        ("test-admin", "etl", RUN, "success", {"new_length": 28, "old_length": 0}),
    ]


def test_a_task_instance_note_is_set_and_shown_in_details_and_lists(client, data):
    before = client.get(TI_URL).json
    assert before["note"] is None
    response = client.patch(f"{TI_URL}/setNote", json={"note": "flaky source, retried by hand"})
    assert response.status_code == 200
    expected = {k: v for k, v in before.items() if k not in ("rendered_fields", "tries")}
    assert response.json == {**expected, "note": "flaky source, retried by hand"}
    assert client.get(TI_URL).json == {**before, "note": "flaky source, retried by hand"}
    listed = client.get(f"{RUN_URL}/taskInstances").json["task_instances"]
    assert {t["task_id"]: t["note"] for t in listed}["transform.clean"] == (
        "flaky source, retried by hand"
    )
    assert _note_events(client) == [
        ("test-admin", "etl", f"{RUN}/transform.clean", "success",
         {"new_length": 29, "old_length": 0}),
    ]  # fmt: skip


def test_an_unchanged_note_writes_no_event(client, data):
    client.patch(f"{RUN_URL}/setNote", json={"note": "same"})
    client.patch(f"{RUN_URL}/setNote", json={"note": "same"})
    assert len(_note_events(client)) == 1


def test_a_read_only_grant_may_read_notes_but_not_write_them(app, client, data):
    with db.transaction() as s:
        grant(s, "etl", "readers")
    reader = bearer(app, add_user("reader", "op", teams=("readers",)))
    response = reader.patch(f"{RUN_URL}/setNote", json={"note": "mine"})
    assert response.status_code == 403
    assert response.json["detail"] == "you may read DAG 'etl' but not change it"
    assert reader.get(RUN_URL).json["note"] is None
    assert _note_events(client) == []

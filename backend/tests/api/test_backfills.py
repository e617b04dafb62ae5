"""``/api/v1/backfills``: exact JSON for create, dry run, list, read, pause, unpause and cancel."""

from __future__ import annotations

import pytest

from dagkeeper import db
from dagkeeper.api.schemas import backfills as schemas
from dagkeeper.models import DagRun, EventLog

from .factories import add_user, bearer, grant

BODY = {"dag_id": "etl", "from_date": "2024-01-01T00:00:00Z", "to_date": "2024-01-04T00:00:00Z",
        "reprocess_behavior": "failed", "max_active_runs": 2, "run_backwards": False,
        "dag_run_conf": {"target": "db", "password": "hunter2"}}  # fmt: skip


def day(n: int) -> str:
    return f"2024-01-0{n}T00:00:00+00:00"


def stamps_removed(backfill: dict) -> dict:
    """The backfill without its creation and update times (now), which are checked to exist."""
    assert backfill["created_at"].endswith("+00:00") and backfill["updated_at"]
    return {k: v for k, v in backfill.items() if k not in ("created_at", "updated_at")}


EXPECTED = {
    "id": 1, "dag_id": "etl", "from_date": day(1), "to_date": day(4),
    "dag_run_conf": {"target": "db", "password": "***"}, "is_paused": False,
    "reprocess_behavior": "failed", "max_active_runs": 2, "run_backwards": False,
    "created_by": "test-admin", "completed_at": None, "total_runs": 3,
    "run_states": {"queued": 3},
}  # fmt: skip


def test_the_dry_run_lists_what_create_then_creates(client, data):
    preview = client.post("/api/v1/backfills/dry_run", json=BODY)
    assert preview.status_code == 200, preview.json
    assert preview.json == {
        "backfills": [
            {"logical_date": day(2), "data_interval_start": day(2), "data_interval_end": day(3),
             "action": "reprocess"},
            {"logical_date": day(3), "data_interval_start": day(3), "data_interval_end": day(4),
             "action": "create"},
            {"logical_date": day(4), "data_interval_start": day(4), "data_interval_end": day(5),
             "action": "create"},
        ],
        "total_entries": 3,
    }  # fmt: skip
    created = client.post("/api/v1/backfills", json=BODY)
    assert created.status_code == 201, created.json
    assert stamps_removed(created.json) == EXPECTED
    runs = client.get("/api/v1/dags/etl/dagRuns?run_type=backfill&order_by=logical_date").json
    assert [(r["logical_date"], r["state"], r["run_id"]) for r in runs["dag_runs"]] == [
        (day(2), "queued", "scheduled__2024-01-02T00:00:00+00:00"),
        (day(3), "queued", "backfill__2024-01-03T00:00:00+00:00"),
        (day(4), "queued", "backfill__2024-01-04T00:00:00+00:00"),
    ]
    assert [p["logical_date"] for p in preview.json["backfills"]] == [
        r["logical_date"] for r in runs["dag_runs"]
    ]
    with db.read_session() as s:
        detail = s.query(EventLog.detail).filter_by(event="create_backfill").scalar()
    assert '"password": "***"' in detail and "hunter2" not in detail


def test_list_read_pause_unpause_and_cancel(client, data):
    client.post("/api/v1/backfills", json=BODY)
    listed = client.get("/api/v1/backfills?dag_id=etl").json
    assert [stamps_removed(b) for b in listed["backfills"]] == [EXPECTED]
    assert listed["total_entries"] == 1
    assert stamps_removed(client.get("/api/v1/backfills/1").json) == EXPECTED
    paused = client.put("/api/v1/backfills/1/pause", json={})
    assert stamps_removed(paused.json) == {**EXPECTED, "is_paused": True}
    unpaused = client.put("/api/v1/backfills/1/unpause", json={})
    assert stamps_removed(unpaused.json) == EXPECTED
    cancelled = client.put("/api/v1/backfills/1/cancel", json={}).json
    assert cancelled["completed_at"] is not None
    assert stamps_removed(cancelled) == {
        **EXPECTED, "is_paused": True, "completed_at": cancelled["completed_at"],
        "run_states": {"failed": 3},
    }  # fmt: skip
    again = client.put("/api/v1/backfills/1/pause", json={})
    assert (again.status_code, again.json["detail"]) == (409, "backfill 1 is already completed")
    with db.read_session() as s:
        events = s.query(EventLog.event, EventLog.dag_id, EventLog.target).order_by(EventLog.id)
        assert [tuple(e) for e in events if "backfill" in e.event] == [
            ("create_backfill", "etl", "1"),
            ("pause_backfill", "etl", "1"),
            ("unpause_backfill", "etl", "1"),
            ("cancel_backfill", "etl", "1"),
        ]


def test_a_second_backfill_waits_for_the_first_to_complete(client, data):
    client.post("/api/v1/backfills", json=BODY)
    second = client.post("/api/v1/backfills", json={**BODY, "from_date": "2024-01-05T00:00:00Z",
                                                    "to_date": "2024-01-06T00:00:00Z"})  # fmt: skip
    assert second.status_code == 409
    assert second.json["errors"] == {"dag_id": ["DAG 'etl' already has a backfill running"]}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"dag_run_conf": {}}, "dag_run_conf.target", "is required and has no default"),
        ({"to_date": "2030-01-01T00:00:00Z"}, "to_date",
         "the range holds more than 1000 runs; backfill it in parts"),
        ({"from_date": "2999-01-01T00:00:00Z", "to_date": "2999-01-02T00:00:00Z"}, "to_date",
         "the range holds no completed run of the DAG's schedule"),
    ],
)  # fmt: skip
def test_refusals_name_the_field(client, data, change, field, message):
    for path in ("/api/v1/backfills/dry_run", "/api/v1/backfills"):
        response = client.post(path, json={**BODY, **change})
        assert response.status_code == 400
        assert response.json["errors"][field] == [message]
    with db.read_session() as s:
        assert s.query(DagRun).filter_by(run_type="backfill").count() == 0


def test_a_team_without_an_edit_grant_may_read_backfills_but_not_change_them(app, client, data):
    client.post("/api/v1/backfills", json=BODY)
    with db.transaction() as s:
        grant(s, "etl", "finance")
    reader = bearer(app, add_user("reader", "user", teams=["finance"]))
    outsider = bearer(app, add_user("outsider", "user", teams=["marketing"]))
    assert reader.get("/api/v1/backfills/1").status_code == 200
    assert reader.put("/api/v1/backfills/1/pause", json={}).status_code == 403
    assert reader.post("/api/v1/backfills/dry_run", json=BODY).status_code == 403
    assert outsider.get("/api/v1/backfills/1").status_code == 404
    assert outsider.get("/api/v1/backfills?dag_id=etl").status_code == 404
    assert outsider.post("/api/v1/backfills", json=BODY).status_code == 404


def test_responses_match_their_schemas(client, data):
    preview = client.post("/api/v1/backfills/dry_run", json=BODY).json
    assert schemas.DryRunCollection().validate(preview) == {}
    assert schemas.BackfillSchema().validate(client.post("/api/v1/backfills", json=BODY).json) == {}
    listed = client.get("/api/v1/backfills?dag_id=etl").json
    assert schemas.BackfillCollection().validate(listed) == {}
    cancelled = client.put("/api/v1/backfills/1/cancel", json={}).json
    assert schemas.BackfillSchema().validate(cancelled) == {}

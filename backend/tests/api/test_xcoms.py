"""XCom entries of a task instance: listed with values, masked, bounded in size."""

from __future__ import annotations

import json

from dagkeeper import db
from dagkeeper.api.schemas.xcoms import XComCollection, XComSchema
from dagkeeper.api.xcoms import MAX_VALUE_CHARS
from dagkeeper.models import TaskInstance, XCom

RUN = "scheduled__2024-01-01T00:00:00%2B00:00"
BASE = f"/api/v1/dags/etl/dagRuns/{RUN}/taskInstances"


def _store(task_id: str, value) -> None:
    with db.transaction() as s:
        ti = s.query(TaskInstance).filter_by(dag_id="etl", task_id=task_id).first()
        s.add(XCom(task_instance_id=ti.id, value=json.dumps(value)))


def test_a_return_value_is_listed_and_read_with_secrets_masked(client, data):
    _store("extract", {"rows": 3, "api_key": "k-123", "nested": {"password": "pw"}})
    listing = client.get(f"{BASE}/extract/xcomEntries").json
    assert XComCollection().validate(listing) == {}
    assert listing["total_entries"] == 1
    entry = listing["xcom_entries"][0]
    assert entry["key"] == "return_value"
    assert entry["value"] == {"rows": 3, "api_key": "***", "nested": {"password": "***"}}
    one = client.get(f"{BASE}/extract/xcomEntries/return_value").json
    assert XComSchema().validate(one) == {}
    assert one == entry


def test_a_huge_value_is_cut_to_a_bounded_string(client, data):
    _store("extract", ["x" * 1000] * 200)
    entry = client.get(f"{BASE}/extract/xcomEntries/return_value").json
    assert entry["truncated"] is True
    assert isinstance(entry["value"], str) and len(entry["value"]) == MAX_VALUE_CHARS


def test_missing_xcoms_and_task_instances_are_404(client, data):
    assert client.get(f"{BASE}/load/xcomEntries").json["xcom_entries"] == []
    assert client.get(f"{BASE}/load/xcomEntries/return_value").status_code == 404
    assert client.get(f"{BASE}/nope/xcomEntries").status_code == 404
    assert client.get(f"{BASE}/load/xcomEntries?limit=-1").status_code == 400


def test_a_stored_secret_inside_a_value_is_masked(client, data):
    client.post(
        "/api/v1/connections",
        json={"connection_id": "db", "conn_type": "postgres", "password": "pw-in-output"},
    )
    client.post("/api/v1/variables", json={"key": "service_token", "value": "tok-in-output"})
    _store("extract", "connected with pw-in-output and tok-in-output")
    entry = client.get(f"{BASE}/extract/xcomEntries").json["xcom_entries"][0]
    assert entry["value"] == "connected with *** and ***"

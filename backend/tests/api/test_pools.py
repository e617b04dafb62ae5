"""Pools over the API: CRUD, the protected default pool, occupancy from task instances."""

from __future__ import annotations

import pytest

from dagkeeper import db
from dagkeeper.api.schemas.pools import PoolCollection, PoolSchema
from dagkeeper.models import TaskInstance

from .factories import add_run, document, publish


def test_the_default_pool_exists_and_pools_can_be_managed(client):
    listing = client.get("/api/v1/pools").json
    assert PoolCollection().validate(listing) == {}
    assert [(p["name"], p["slots"]) for p in listing["pools"]] == [("default_pool", 128)]
    created = client.post("/api/v1/pools", json={"name": "api", "slots": 2, "description": "x"})
    assert created.status_code == 201, created.json
    assert PoolSchema().validate(created.json) == {}
    assert created.json["open_slots"] == 2
    renamed = client.patch("/api/v1/pools/api", json={"name": "rest", "slots": 3})
    assert (renamed.json["name"], renamed.json["slots"]) == ("rest", 3)
    assert client.patch("/api/v1/pools/default_pool", json={"slots": 4}).json["slots"] == 4
    assert client.delete("/api/v1/pools/rest").status_code == 204
    assert client.get("/api/v1/pools/rest").status_code == 404


def test_pools_show_running_queued_and_open_slots(client):
    client.post("/api/v1/pools", json={"name": "db", "slots": 5})
    with db.transaction() as s:
        publish(s, document("etl"))
        run = add_run(s, "etl", 0, {"extract": "running", "transform": "queued", "load": None})
        for ti in s.query(TaskInstance).filter_by(dag_run_id=run.id):
            ti.pool, ti.pool_slots = "db", 2
    body = client.get("/api/v1/pools/db").json
    assert (body["running_slots"], body["queued_slots"], body["occupied_slots"]) == (2, 2, 4)
    assert body["open_slots"] == 1
    assert client.get("/api/v1/pools/default_pool").json["occupied_slots"] == 0


@pytest.mark.parametrize(
    "method, url, body, status, field",
    [
        ("post", "/api/v1/pools", {"name": "p"}, 400, "slots"),
        ("post", "/api/v1/pools", {"name": "p", "slots": -1}, 400, "slots"),
        ("post", "/api/v1/pools", {"name": "", "slots": 1}, 400, "name"),
        ("post", "/api/v1/pools", {"name": "default_pool", "slots": 1}, 409, None),
        ("patch", "/api/v1/pools/default_pool", {"name": "other"}, 400, "name"),
        ("delete", "/api/v1/pools/default_pool", None, 400, None),
        ("patch", "/api/v1/pools/missing", {"slots": 1}, 404, None),
    ],
)
def test_bad_pool_requests_are_refused_and_change_nothing(client, method, url, body, status, field):
    call = getattr(client, method)
    response = call(url, json=body) if body is not None else call(url)
    assert response.status_code == status, response.json
    if field:
        assert field in response.json["errors"]
    pools = client.get("/api/v1/pools").json["pools"]
    assert [(p["name"], p["slots"]) for p in pools] == [("default_pool", 128)]


def test_renaming_onto_an_existing_pool_is_a_conflict(client):
    client.post("/api/v1/pools", json={"name": "a", "slots": 1})
    assert client.patch("/api/v1/pools/a", json={"name": "default_pool"}).status_code == 409
    assert client.get("/api/v1/pools/a").status_code == 200

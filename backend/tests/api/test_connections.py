"""Connections over the API: CRUD, write-only password, masked extra, encryption at rest."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from dagkeeper import db
from dagkeeper.api.schemas.connections import ConnectionCollection, ConnectionSchema

WAREHOUSE = {
    "connection_id": "warehouse",
    "conn_type": "postgres",
    "host": "db.internal",
    "login": "etl",
    "password": "s3cr3t-pw",
    "schema": "analytics",
    "port": 5432,
    "extra": json.dumps({"sslmode": "require", "api_token": "tok-123"}),
    "description": "the warehouse",
}


def test_connections_are_created_read_updated_and_deleted(client):
    created = client.post("/api/v1/connections", json=WAREHOUSE)
    assert created.status_code == 201, created.json
    assert ConnectionSchema().validate(created.json) == {}
    body = client.get("/api/v1/connections/warehouse").json
    assert "password" not in body and body["has_password"] is True
    assert (body["host"], body["port"], body["schema"]) == ("db.internal", 5432, "analytics")
    assert json.loads(body["extra"]) == {"sslmode": "require", "api_token": "***"}
    patched = client.patch("/api/v1/connections/warehouse", json={"host": "db2.internal"})
    assert patched.json["host"] == "db2.internal" and patched.json["has_password"] is True
    listing = client.get("/api/v1/connections").json
    assert ConnectionCollection().validate(listing) == {}
    assert [c["connection_id"] for c in listing["connections"]] == ["warehouse"]
    assert client.delete("/api/v1/connections/warehouse").status_code == 204
    assert client.get("/api/v1/connections/warehouse").status_code == 404


def test_the_password_and_extra_are_encrypted_at_rest(client):
    client.post("/api/v1/connections", json=WAREHOUSE)
    with db.read_session() as session:
        password, extra = session.execute(text("SELECT password, extra FROM connection")).one()
    assert "s3cr3t" not in password and "tok-123" not in extra
    from dagkeeper.sdk import BaseHook

    found = BaseHook.get_connection("warehouse")
    assert (found.password, found.extra_dejson["api_token"]) == ("s3cr3t-pw", "tok-123")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"conn_type": "http"}, "connection_id"),
        ({"connection_id": "has space", "conn_type": "http"}, "connection_id"),
        ({"connection_id": "c"}, "conn_type"),
        ({"connection_id": "c", "conn_type": "http", "port": 70000}, "port"),
        ({"connection_id": "c", "conn_type": "http", "port": "80"}, "port"),
        ({"connection_id": "c", "conn_type": "http", "extra": "{not json"}, "extra"),
        ({"connection_id": "c", "conn_type": "http", "extra": "[1, 2]"}, "extra"),
    ],
)
def test_bad_connections_are_refused_naming_the_field(client, body, field):
    response = client.post("/api/v1/connections", json=body)
    assert response.status_code == 400
    assert field in response.json["errors"]
    assert client.get("/api/v1/connections").json["total_entries"] == 0


def test_duplicates_and_mismatched_ids_are_refused(client):
    client.post("/api/v1/connections", json=WAREHOUSE)
    assert client.post("/api/v1/connections", json=WAREHOUSE).status_code == 409
    wrong = client.patch("/api/v1/connections/warehouse", json={"connection_id": "other"})
    assert wrong.status_code == 400 and "connection_id" in wrong.json["errors"]
    assert client.patch("/api/v1/connections/nope", json={"host": "h"}).status_code == 404
    assert client.get("/api/v1/connections/warehouse").json["host"] == "db.internal"

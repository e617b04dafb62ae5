"""Variables over the API: CRUD, secret masking, encryption at rest, parse-time readers."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dagkeeper import db
from dagkeeper.api.schemas.variables import VariableCollection, VariableSchema
from dagkeeper.models import ParseVariableRead


def test_variables_are_created_listed_updated_and_deleted(client):
    created = client.post(
        "/api/v1/variables", json={"key": "region", "value": "eu-west-1", "description": "aws"}
    )
    assert created.status_code == 201, created.json
    assert created.json == {
        "key": "region", "value": "eu-west-1", "description": "aws", "read_at_parse_by": []
    }  # fmt: skip
    client.post("/api/v1/variables", json={"key": "config", "value": '{"a": 1}'})
    listing = client.get("/api/v1/variables").json
    assert VariableCollection().validate(listing) == {}
    assert [v["key"] for v in listing["variables"]] == ["config", "region"]
    assert listing["total_entries"] == 2
    patched = client.patch("/api/v1/variables/region", json={"value": "us-east-1"})
    assert patched.status_code == 200, patched.json
    assert (patched.json["value"], patched.json["description"]) == ("us-east-1", "aws")
    assert client.delete("/api/v1/variables/region").status_code == 204
    assert client.get("/api/v1/variables/region").status_code == 404
    assert client.get("/api/v1/variables?order_by=-key").json["total_entries"] == 1


def test_values_of_secret_looking_keys_are_masked_but_kept(client):
    client.post("/api/v1/variables", json={"key": "db_password", "value": "hunter22"})
    assert client.get("/api/v1/variables/db_password").json["value"] == "***"
    assert client.get("/api/v1/variables").json["variables"][0]["value"] == "***"
    from dagkeeper.sdk import Variable

    assert Variable.get("db_password") == "hunter22"


def test_values_are_encrypted_at_rest(client):
    client.post("/api/v1/variables", json={"key": "plain", "value": "visible-text"})
    with db.read_session() as session:
        stored = session.execute(text("SELECT value FROM variable")).scalar_one()
    assert "visible-text" not in stored
    assert client.get("/api/v1/variables/plain").json["value"] == "visible-text"


def test_variables_list_the_files_that_read_them_at_parse_time(client):
    client.post("/api/v1/variables", json={"key": "region", "value": "x"})
    with db.transaction() as session:
        session.add_all(
            [ParseVariableRead(fileloc="b.py", key="region"),
             ParseVariableRead(fileloc="a.py", key="region")]
        )  # fmt: skip
    body = client.get("/api/v1/variables/region").json
    assert VariableSchema().validate(body) == {}
    assert body["read_at_parse_by"] == ["a.py", "b.py"]


@pytest.mark.parametrize(
    "method, url, body, status, field",
    [
        ("post", "/api/v1/variables", {"value": "x"}, 400, "key"),
        ("post", "/api/v1/variables", {"key": "", "value": "x"}, 400, "key"),
        ("post", "/api/v1/variables", {"key": "k", "value": 3}, 400, "value"),
        ("post", "/api/v1/variables", {"key": "k" * 251, "value": "x"}, 400, "key"),
        ("post", "/api/v1/variables", {"key": "k", "value": "x", "extra": 1}, 400, "extra"),
        ("patch", "/api/v1/variables/existing", {"key": "other"}, 400, "key"),
        ("patch", "/api/v1/variables/missing", {"value": "x"}, 404, None),
        ("delete", "/api/v1/variables/missing", None, 404, None),
        ("post", "/api/v1/variables", {"key": "existing", "value": "y"}, 409, None),
        ("get", "/api/v1/variables?limit=0", None, 400, "limit"),
    ],
)
def test_bad_variable_requests_are_refused_and_change_nothing(
    client, method, url, body, status, field
):
    client.post("/api/v1/variables", json={"key": "existing", "value": "kept"})
    response = (
        getattr(client, method)(url, json=body)
        if body is not None
        else getattr(client, method)(url)
    )
    assert response.status_code == status, response.json
    assert response.content_type == "application/problem+json"
    if field:
        assert field in response.json["errors"]
    assert client.get("/api/v1/variables/existing").json["value"] == "kept"
    assert client.get("/api/v1/variables").json["total_entries"] == 1


def test_a_key_with_slashes_and_spaces_is_reachable_by_its_path(client):
    assert (
        client.post("/api/v1/variables", json={"key": "team/a b", "value": "x"}).status_code == 201
    )
    assert client.get("/api/v1/variables/team/a%20b").json["value"] == "x"
    assert client.delete("/api/v1/variables/team/a%20b").status_code == 204

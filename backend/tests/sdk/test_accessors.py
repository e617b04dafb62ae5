"""Variable, Connection and BaseHook as DAG files use them: database, env overrides, URIs."""

from __future__ import annotations

import json

import pytest

from dagkeeper.db import transaction
from dagkeeper.models import Connection as ConnectionRow
from dagkeeper.sdk import BaseHook, Connection, Variable
from dagkeeper.sdk.variable import recording_reads


def test_variables_round_trip_text_and_json(db):
    Variable.set("region", "eu-west-1", description="aws")
    Variable.set("config", {"batch": 10, "tables": ["a"]}, serialize_json=True)
    assert Variable.get("region") == "eu-west-1"
    assert Variable.get("config", deserialize_json=True) == {"batch": 10, "tables": ["a"]}
    Variable.set("region", "us-east-1")
    assert Variable.get("region") == "us-east-1"
    assert Variable.delete("region") == 1
    with pytest.raises(KeyError, match="Variable region does not exist"):
        Variable.get("region")
    assert Variable.get("region", default_var=None) is None
    assert Variable.get("region", default="d") == "d"


def test_an_environment_variable_overrides_the_stored_value(db, monkeypatch):
    Variable.set("mode", "stored")
    monkeypatch.setenv("DAGKEEPER_VAR_MODE", "from-env")
    monkeypatch.setenv("DAGKEEPER_VAR_LIMITS", '{"max": 5}')
    assert Variable.get("mode") == "from-env"
    assert Variable.get("limits", deserialize_json=True) == {"max": 5}


def test_reads_are_recorded_only_while_recording(db):
    Variable.set("a", "1")
    Variable.get("before", default_var=None)
    with recording_reads() as reads:
        Variable.get("a")
        Variable.get("missing", default_var="x")
    Variable.get("after", default_var=None)
    assert reads == ["a", "missing"]


def test_connections_come_from_the_database_or_an_environment_uri(db, monkeypatch):
    with transaction() as session:
        session.add(
            ConnectionRow(conn_id="warehouse", conn_type="postgres", host="db", login="etl",
                          password="pw", port=5432, schema="dw", extra='{"sslmode": "require"}')
        )  # fmt: skip
    found = BaseHook.get_connection("warehouse")
    assert (found.conn_type, found.host, found.port, found.schema) == ("postgres", "db", 5432, "dw")
    assert found.extra_dejson == {"sslmode": "require"}
    assert found.get_uri() == "postgres://etl:pw@db:5432/dw?sslmode=require"
    monkeypatch.setenv("DAGKEEPER_CONN_WAREHOUSE", "mysql://u:p%40ss@other:3306/x")
    overridden = Connection.get("warehouse")
    assert (overridden.conn_type, overridden.host, overridden.password) == (
        "mysql",
        "other",
        "p@ss",
    )
    monkeypatch.setenv("DAGKEEPER_CONN_API", json.dumps({"conn_type": "http", "host": "api"}))
    assert BaseHook.get_connection("api").host == "api"
    with pytest.raises(KeyError, match="isn't defined"):
        BaseHook.get_connection("nowhere")


def test_a_connection_uri_round_trips_with_nested_extra():
    original = Connection(
        conn_id="c", conn_type="google_cloud_platform", login="a b", password="p/w:@",
        host="h", port=1, schema="s", extra={"scopes": ["x", "y"], "project": "p"},
    )  # fmt: skip
    parsed = Connection(conn_id="c", uri=original.get_uri())
    assert parsed.conn_type == "google_cloud_platform"
    assert (parsed.login, parsed.password, parsed.schema) == ("a b", "p/w:@", "s")
    assert parsed.extra_dejson == {"scopes": ["x", "y"], "project": "p"}

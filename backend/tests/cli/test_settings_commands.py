"""``dagkeeper variables|connections|pools``: what the peer's users script, on a real database."""

from __future__ import annotations

import json

from dagkeeper.cli import main
from dagkeeper.sdk import BaseHook, Variable


def test_variables_import_export_get_set_and_delete(sqlite_db, tmp_path, capsys):
    source = tmp_path / "vars.json"
    source.write_text(json.dumps({"region": "eu", "limits": {"max": 5}}))
    assert main(["variables", "import", str(source)]) == 0
    assert Variable.get("limits", deserialize_json=True) == {"max": 5}
    assert main(["variables", "set", "mode", "fast", "--description", "how"]) == 0
    capsys.readouterr()
    assert main(["variables", "get", "mode"]) == 0
    assert capsys.readouterr().out == "fast\n"
    assert main(["variables", "list"]) == 0
    assert capsys.readouterr().out.split() == ["limits", "mode", "region"]
    exported = tmp_path / "out.json"
    assert main(["variables", "export", str(exported)]) == 0
    assert json.loads(exported.read_text()) == {
        "limits": {"max": 5},
        "mode": "fast",
        "region": "eu",
    }
    assert main(["variables", "delete", "mode"]) == 0
    assert main(["variables", "get", "mode"]) == 1
    assert main(["variables", "delete", "mode"]) == 1


def test_connections_are_added_by_uri_listed_without_password_and_deleted(sqlite_db, capsys):
    uri = "postgres://etl:pw-cli@db.internal:5432/dw?sslmode=require"
    assert main(["connections", "add", "warehouse", "--conn-uri", uri]) == 0
    assert main(["connections", "add", "warehouse", "--conn-uri", uri]) == 1
    found = BaseHook.get_connection("warehouse")
    assert (found.password, found.port, found.extra_dejson) == (
        "pw-cli",
        5432,
        {"sslmode": "require"},
    )
    capsys.readouterr()
    assert main(["connections", "list"]) == 0
    listing = capsys.readouterr().out
    assert "warehouse\tpostgres\tdb.internal" in listing and "pw-cli" not in listing
    assert main(["connections", "delete", "warehouse"]) == 0
    assert main(["connections", "delete", "warehouse"]) == 1


def test_pools_are_set_listed_and_deleted_but_default_pool_stays(sqlite_db, capsys):
    assert main(["pools", "set", "api", "3", "rate-limited API"]) == 0
    assert main(["pools", "set", "api", "4"]) == 0
    assert main(["pools", "set", "bad", "-1"]) == 1
    capsys.readouterr()
    assert main(["pools", "list"]) == 0
    assert "api\t4 slots\t0 running\t0 queued" in capsys.readouterr().out
    assert main(["pools", "delete", "default_pool"]) == 1
    assert main(["pools", "delete", "api"]) == 0
    assert main(["pools", "delete", "api"]) == 1

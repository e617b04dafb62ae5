"""Security headers, the Host allow-list, stored data that older versions let in, and health."""

from __future__ import annotations

import json
import socket
from contextlib import contextmanager

import pytest
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from dagkeeper import db as database
from dagkeeper.api import create_app
from dagkeeper.api.hardening import allowed_hosts
from dagkeeper.migrate import migrate
from dagkeeper.models import DagRun

from .factories import add_user, bearer, document, param, publish, task

RUNS = "/api/v1/dags/etl/dagRuns"


def test_every_response_carries_the_security_headers(client, data):
    for response in (
        client.get("/api/v1/dags"),
        client.get("/api/v1/dags/nope"),
        client.get("/"),
        client.get("/api/v1/docs"),
        client.put("/api/v1/dags/etl"),
        client.get("/api/v1/dags", headers={"Host": "attacker.example"}),
    ):
        with response:
            csp = response.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in csp
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_docs_page_has_no_inline_style_or_script(client, db):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "<style" not in page and "<script" not in page and " style=" not in page
    css = client.get("/api/v1/docs.css")
    assert css.status_code == 200 and css.mimetype == "text/css"


def test_only_allowed_host_names_are_answered(db, monkeypatch):
    client = create_app({"BIND": "10.1.2.3:8080"}).test_client()
    for host in ("localhost", "127.0.0.1:8080", "[::1]:8080", "10.1.2.3:8080", "LOCALHOST"):
        assert client.get("/api/v1/health", headers={"Host": host}).status_code == 200, host
    for host in ("attacker.example", "localhost.attacker.example", "10.1.2.4"):
        refused = client.get("/api/v1/health", headers={"Host": host})
        assert refused.status_code == 400 and "DAGKEEPER_ALLOWED_HOSTS" in refused.json["detail"]

    monkeypatch.setenv("DAGKEEPER_ALLOWED_HOSTS", "dagkeeper.example.org, ops.example.org")
    client = create_app().test_client()
    with client.get("/", headers={"Host": "dagkeeper.example.org"}) as page:
        assert page.status_code == 200
    assert client.get("/api/v1/health", headers={"Host": "localhost"}).status_code == 400


def test_binding_every_interface_allows_this_machines_names():
    names = allowed_hosts("0.0.0.0:8080")
    assert socket.gethostname().lower() in names and "localhost" in names
    assert allowed_hosts("unix:/run/dagkeeper.sock") >= {"localhost", "127.0.0.1"}


def _store_legacy_conf(conf_text: str) -> None:
    """What an older version stored: ``json.dumps`` of any Python value (NaN, lone surrogates)."""
    with database.transaction() as s:
        s.execute(update(DagRun).where(DagRun.dag_id == "etl").values(conf=conf_text))


def test_runs_stored_with_nan_or_lone_surrogates_still_render(client, data):
    _store_legacy_conf(json.dumps({"k": "\ud800", "n": float("nan"), "i": [float("inf")]}))
    listing = client.get(RUNS)
    assert listing.status_code == 200
    runs = json.loads(listing.get_data(as_text=True), parse_constant=pytest.fail)
    assert runs["dag_runs"][0]["conf"] == {"k": "\ufffd", "n": None, "i": [None]}
    one = client.get(f"{RUNS}/{runs['dag_runs'][0]['run_id'].replace('+', '%2B')}")
    assert one.status_code == 200 and one.json["conf"]["n"] is None
    assert client.get("/ui/grid/etl").status_code == 200


def test_a_version_document_with_nan_still_renders(client, db):
    with database.transaction() as s:
        version = publish(s, document("odd", params={"ratio": param(0.5, "number")},
                                      tasks=[task("t")]))  # fmt: skip
        version.document = version.document.replace("0.5", "NaN")  # as json.dumps once wrote
        assert "NaN" in version.document
    for path in ("/api/v1/dags/odd/details", "/api/v1/dags/odd/versions/1", "/ui/structure/odd"):
        response = client.get(path)
        assert response.status_code == 200, path
        json.loads(response.get_data(as_text=True), parse_constant=pytest.fail)
    assert client.get("/api/v1/dags/odd/details").json["params"]["ratio"]["default"] is None


def test_health_is_degraded_when_new_connections_cannot_write(db_url, tmp_path, monkeypatch):
    """A pooled connection keeps working on a store new connections cannot use: probe anew."""
    if db_url.startswith("sqlite"):
        folder = tmp_path / "store"
        folder.mkdir()
        db_url = f"sqlite:///{folder / 'dagkeeper.db'}"
        migrate(db_url)
    database.configure(db_url)
    client = bearer(create_app(), add_user("health-admin", "admin"))
    assert client.get("/api/v1/health").json["status"] == "ok"
    with _new_connections_broken(db_url, tmp_path):
        assert client.get("/api/v1/dags").status_code == 200, "the pooled connection still reads"
        health = client.get("/api/v1/health")
        assert health.status_code == 503
        assert health.json == {"status": "degraded", "database": "unreachable", "token": None}
    assert client.get("/api/v1/health").status_code == 200
    database.dispose()


@contextmanager
def _new_connections_broken(url: str, tmp_path):
    """SQLite: the database's folder moves away; PostgreSQL: new sessions are read-only."""
    if url.startswith("sqlite"):
        (tmp_path / "store").rename(tmp_path / "moved")
        try:
            yield
        finally:
            (tmp_path / "moved").rename(tmp_path / "store")
        return
    name = url.rsplit("/", 1)[1]
    with database.engine().begin() as connection:
        connection.exec_driver_sql(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
    try:
        yield
    finally:
        with database.engine().begin() as connection:
            connection.exec_driver_sql(f"ALTER DATABASE {name} RESET default_transaction_read_only")


def test_a_driver_error_while_the_database_answers_is_a_500_not_a_retry(app, client, data):
    def refused():
        raise OperationalError("SELECT x", {}, Exception("a statement the server refused"))

    app.add_url_rule("/api/v1/refused", "refused", refused)
    response = client.get("/api/v1/refused")
    assert response.status_code == 500, "the database answers: a client retry cannot help"
    assert response.content_type == "application/problem+json"


def test_the_conf_limit_is_configurable(client, data, monkeypatch):
    monkeypatch.setenv("DAGKEEPER_MAX_CONF_BYTES", "100")
    small = client.post(RUNS, json={"conf": {"target": "x" * 200}, "run_id": "small"})
    assert small.status_code == 400 and "is over 100 bytes" in small.json["errors"]["conf"][0]
    monkeypatch.setenv("DAGKEEPER_MAX_CONF_BYTES", str(256 * 1024))
    large = client.post(RUNS, json={"conf": {"target": "x" * 200_000}, "run_id": "large"})
    assert large.status_code == 201


def test_any_host_may_be_allowed_explicitly(db, monkeypatch):
    monkeypatch.setenv("DAGKEEPER_ALLOWED_HOSTS", "*")
    client = create_app().test_client()
    assert client.get("/api/v1/health", headers={"Host": "anything.example"}).status_code == 200


def test_what_the_fast_encoder_refuses_is_still_encoded_exactly():
    """orjson refuses integers past 64 bits and lone surrogates; the standard path takes them."""
    from dagkeeper.api.responses import encode

    assert encode({"big": 2**70, 1: [1.5, "é"], "nan": float("nan")}) == (
        '{"big":1180591620717411303424,"1":[1.5,"é"],"nan":null}'.encode()
    )
    assert encode({"k": "\ud800", "n": float("inf")}) == '{"k":"\ufffd","n":null}'.encode()

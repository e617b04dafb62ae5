"""Behaviour every endpoint shares: headers, ETags, errors, docs, the SPA."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from dagkeeper import db
from dagkeeper.api import create_app

from .factories import add_user, bearer

WORKER = "X-Dagkeeper-Worker"


def test_every_response_names_its_worker(client, data):
    pid = str(os.getpid())
    etag = client.get("/api/v1/dags").headers["ETag"]
    for response in (
        client.get("/api/v1/dags"),
        client.get("/api/v1/dags/nope"),
        client.get("/api/v1/dags", headers={"If-None-Match": etag}),
        client.post("/api/v1/dags/etl/dagRuns", data="x"),
        client.get("/"),
    ):
        with response:
            assert response.headers[WORKER] == pid


def test_etag_follows_the_change_token_and_answers_304(client, data):
    first = client.get("/api/v1/dags/etl")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/api/v1/dags/etl", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag
    other = client.get("/api/v1/dags/reports", headers={"If-None-Match": etag})
    assert other.status_code == 200, "the path is part of the tag"
    client.patch("/api/v1/dags/etl", json={"is_paused": True})
    changed = client.get("/api/v1/dags/etl", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json["is_paused"] is True


def test_unknown_routes_and_methods_are_problems(client, data):
    for response, status in (
        (client.get("/api/v1/nothing"), 404),
        (client.get("/ui/nothing"), 404),
        (client.post("/api/v1/dags/etl", json={}), 405),
    ):
        assert response.status_code == status
        assert response.content_type == "application/problem+json"
        assert response.json["title"]
    allowed = client.post("/api/v1/dags/etl", json={}).headers["Allow"]
    assert "PATCH" in allowed and "DELETE" in allowed


def test_a_broken_view_is_a_problem_500_not_a_traceback(app, client, db):
    app.add_url_rule("/api/v1/boom", "boom", lambda: 1 / 0)
    response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    assert "ZeroDivisionError" not in response.get_data(as_text=True)


def test_health_reports_the_token(client, data):
    assert client.get("/api/v1/health").json["status"] == "ok"


def test_an_unreachable_database_is_503_and_the_worker_recovers(tmp_path, sqlite_db, monkeypatch):
    from dagkeeper.migrate import migrate

    folder = tmp_path / "dbdir"
    folder.mkdir()
    url = f"sqlite:///{folder / 'dagkeeper.db'}"
    migrate(url)
    db.configure(url)
    client = bearer(create_app(), add_user("admin", "admin"))
    assert client.get("/api/v1/dags").status_code == 200
    db.engine().dispose()  # the files below disappear: no open connection may hide it
    folder.rename(tmp_path / "moved")
    try:
        response = client.get("/api/v1/dags")
        assert response.status_code == 503
        assert response.content_type == "application/problem+json"
        assert "database unreachable" in response.json["detail"]
        health = client.get("/api/v1/health")
        assert health.status_code == 503 and health.json["database"] == "unreachable"
    finally:
        (tmp_path / "moved").rename(folder)
    assert client.get("/api/v1/dags").status_code == 200


def test_openapi_document_and_docs_page(client, db):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert "/ui/grid/{dag_id}" in spec["paths"]
    assert "Dag" in spec["components"]["schemas"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"/api/v1/dags/{dag_id}/dagRuns" in docs.data
    assert b"https://" not in docs.data, "the page must work without internet"


def test_openapi_dumps_without_a_server():
    result = subprocess.run(
        [sys.executable, "-m", "dagkeeper.api.openapi"], capture_output=True, text=True, check=True
    )
    assert '"/api/v1/dags"' in result.stdout
    assert result.stderr == ""


def test_spa_falls_back_to_index_and_caches_hashed_assets(client, db, tmp_path, monkeypatch):
    from dagkeeper.api import spa

    monkeypatch.setattr(spa, "STATIC", tmp_path)
    assert b"make frontend" in client.get("/").data
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html>app</html>")
    (tmp_path / "assets" / "app-1234.js").write_text("console.log(1)")
    with client.get("/dags/etl/grid") as page:
        assert page.data == b"<html>app</html>" and page.headers["Cache-Control"] == "no-cache"
    with client.get("/assets/app-1234.js") as asset:
        assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/assets/missing.js").status_code == 404


def test_every_reference_in_the_openapi_document_resolves(client, db):
    """openapi-typescript (the frontend's type generator) rejects dangling references."""
    spec = client.get("/api/v1/openapi.json").json
    references = set(re.findall(r'"\$ref": "#/([^"]+)"', json.dumps(spec)))
    assert references
    for reference in references:
        node = spec
        for part in reference.split("/"):
            assert part in node, f"#/{reference} is not defined"
            node = node[part]


def test_every_worker_signs_with_the_configured_secret(db, monkeypatch):
    from itsdangerous import URLSafeSerializer

    monkeypatch.setenv("DAGKEEPER_SECRET_KEY", "shared-by-all-workers")
    one, two = create_app(), create_app()  # two workers' apps
    assert one.secret_key == two.secret_key == "shared-by-all-workers"
    signed = URLSafeSerializer(one.secret_key).dumps({"user": "a"})
    assert URLSafeSerializer(two.secret_key).loads(signed) == {"user": "a"}

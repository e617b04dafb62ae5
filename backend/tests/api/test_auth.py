"""Login, sessions, tokens, throttling, per-DAG visibility, cache isolation and the audit log."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import delete, event, select, update

from dagkeeper import db
from dagkeeper.accounts.sessions import COOKIE_NAME
from dagkeeper.api import create_app
from dagkeeper.config import load_settings
from dagkeeper.models import ApiToken, EventLog, LoginAttempt, User, UserSession, UserTeam, utcnow

from .factories import add_import_error, add_user, bearer, grant

PASSWORD = "correct horse battery"


@pytest.fixture
def viewer(db):
    add_user("vera", "viewer", password=PASSWORD)


def login(client, username="vera", password=PASSWORD):
    return client.post("/auth/login", json={"username": username, "password": password})


def events(**filters) -> list[tuple]:
    with db.read_session() as s:
        query = select(EventLog.event, EventLog.outcome, EventLog.username, EventLog.target)
        for name, value in filters.items():
            query = query.where(getattr(EventLog, name) == value)
        return [tuple(r) for r in s.execute(query.order_by(EventLog.id))]


def test_login_sets_a_session_cookie_that_logout_ends(anonymous, viewer, data):
    response = login(anonymous)
    assert response.status_code == 200 and response.json["role"] == "viewer"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert anonymous.get("/api/v1/dags").status_code == 200
    assert anonymous.get("/auth/me").json == {"username": "vera", "role": "viewer",
                                              "teams": [], "via": "session"}  # fmt: skip
    with db.read_session() as s:  # only a keyed hash of the cookie is stored
        stored = s.scalar(select(UserSession.id_hash))
    assert stored not in cookie and len(stored) == 64
    assert anonymous.post("/auth/logout", json={}).status_code == 204
    assert anonymous.get("/api/v1/dags").status_code == 401
    assert [e[:3] for e in events()] == [
        ("login", "success", "vera"),
        ("logout", "success", "vera"),
    ]


def test_a_stolen_cookie_stops_working_after_logout(app, viewer, data):
    browser = app.test_client()
    login(browser)
    value = browser.get_cookie(COOKIE_NAME).value
    thief = app.test_client()
    thief.set_cookie(COOKIE_NAME, value)
    assert thief.get("/api/v1/dags").status_code == 200
    browser.post("/auth/logout", json={})
    assert thief.get("/api/v1/dags").status_code == 401


@pytest.mark.parametrize("username", ["vera", "nobody"])
def test_a_wrong_password_or_unknown_user_is_401_and_audited(anonymous, viewer, username):
    response = login(anonymous, username, "wrong password")
    assert response.status_code == 401
    assert response.json["detail"] == "wrong username or password"
    assert COOKIE_NAME not in response.headers.get("Set-Cookie", "")
    assert events() == [("login", "failed", username, username)]


def test_failed_logins_are_throttled_per_user_and_success_resets(app, anonymous, viewer):
    for _ in range(5):
        assert login(anonymous, password="nope").status_code == 401
    refused = login(anonymous)  # even the right password, until the window passes
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    with db.transaction() as s:  # the window passes
        s.execute(update(LoginAttempt).values(at=utcnow() - timedelta(hours=1)))
    assert login(anonymous).status_code == 200
    for _ in range(5):  # a success forgot the earlier failures
        assert login(anonymous, password="nope").status_code == 401


def test_failed_logins_are_throttled_per_address(app, anonymous, db):
    settings = replace(load_settings(), login_max_failures_address=3)
    client = create_app({"DAGKEEPER": settings}).test_client()
    for name in ("a", "b", "c"):
        assert login(client, name, "nope").status_code == 401
    assert login(client, "d", "nope").status_code == 429


def test_sessions_expire_when_idle_and_at_their_absolute_limit(anonymous, viewer, data):
    login(anonymous)
    with db.transaction() as s:
        s.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(hours=2)))
    assert anonymous.get("/api/v1/dags").status_code == 401
    login(anonymous)
    with db.transaction() as s:
        s.execute(update(UserSession).values(created_at=utcnow() - timedelta(days=2)))
    assert anonymous.get("/api/v1/dags").status_code == 401


def test_auth_token_returns_a_bearer_token_that_expires(app, anonymous, viewer, data):
    response = anonymous.post("/auth/token", json={"username": "vera", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json["access_token"]
    assert response.json["token_type"] == "bearer" and response.json["expires_in"] == 86400
    assert bearer(app, token).get("/api/v1/dags").status_code == 200
    with db.transaction() as s:
        s.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert bearer(app, token).get("/api/v1/dags").status_code == 401
    assert bearer(app, "dkp_not-a-token").get("/api/v1/dags").status_code == 401
    anonymous.post("/auth/token", json={"username": "vera", "password": PASSWORD})
    with db.read_session() as s:  # the expired one was dropped when the new one was issued
        assert len(s.scalars(select(ApiToken)).all()) == 1


def test_personal_tokens_are_shown_once_listed_without_text_and_revoked(app, db, data):
    vera = bearer(app, add_user("vera", "viewer"))
    created = vera.post("/api/v1/tokens", json={"name": "ci", "expires_in_days": 30})
    assert created.status_code == 201 and created.json["token"].startswith("dkp_")
    script = bearer(app, created.json["token"])
    assert script.get("/api/v1/dags").status_code == 200
    listed = vera.get("/api/v1/tokens").json["tokens"]
    assert {t["name"] for t in listed} == {"tests", "ci"}
    assert all("token" not in t for t in listed)
    assert next(t for t in listed if t["name"] == "ci")["last_used_at"] is not None
    other = bearer(app, add_user("otto", "user"))
    assert other.delete(f"/api/v1/tokens/{created.json['id']}").status_code == 404
    assert other.get("/api/v1/tokens?username=vera").status_code == 403
    assert vera.delete(f"/api/v1/tokens/{created.json['id']}").status_code == 204
    assert script.get("/api/v1/dags").status_code == 401
    assert [e[:2] for e in events(username="vera")] == [("token_create", "success"),
                                                         ("token_revoke", "success")]  # fmt: skip


def test_a_role_change_or_deletion_takes_effect_on_the_next_request(client, anonymous, viewer):
    login(anonymous)
    assert anonymous.get("/api/v1/users").status_code == 403
    assert client.patch("/api/v1/users/vera", json={"role": "admin"}).status_code == 200
    assert anonymous.get("/api/v1/users").status_code == 401  # the change ended her sessions
    login(anonymous)
    assert anonymous.get("/api/v1/users").status_code == 200
    assert client.delete("/api/v1/users/vera").status_code == 204
    assert anonymous.get("/auth/me").status_code == 401


def test_the_last_admin_can_be_neither_demoted_nor_deleted(client, db):
    assert client.patch("/api/v1/users/test-admin", json={"role": "op"}).status_code == 409
    assert client.delete("/api/v1/users/test-admin").status_code == 409
    created = client.post("/api/v1/users", json={"username": "ada", "role": "admin"})
    assert created.status_code == 201
    assert client.patch("/api/v1/users/test-admin", json={"role": "op"}).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "bad name!", "role": "viewer"}, "username"),
        ({"username": "x", "role": "root"}, "role"),
        ({"username": "x", "role": "viewer", "password": "short"}, "password"),
        ({"username": "x", "role": "viewer", "teams": ["viewer"]}, "teams"),
        ({"username": "x", "role": "viewer", "extra": 1}, "extra"),
    ],
)
def test_bad_user_bodies_name_the_field_and_write_nothing(client, db, body, field):
    response = client.post("/api/v1/users", json=body)
    assert response.status_code == 400 and field in response.json["errors"]
    assert [u["username"] for u in client.get("/api/v1/users").json["users"]] == ["test-admin"]
    assert events(event="user_create") == []


def test_a_cookie_write_from_another_site_is_refused(anonymous, db, data):
    add_user("uma", "user", password=PASSWORD)
    login(anonymous, "uma")
    foreign = {"Origin": "https://evil.example"}
    refused = anonymous.patch("/api/v1/dags/etl", json={"is_paused": True}, headers=foreign)
    assert refused.status_code == 403
    same = {"Origin": "http://localhost"}
    assert (
        anonymous.patch("/api/v1/dags/etl", json={"is_paused": True}, headers=same).status_code
        == 200
    )


def test_a_granted_dag_is_hidden_from_list_counts_search_errors_and_changes(app, client, data):
    with db.transaction() as s:
        grant(s, "etl", "finance")
        add_import_error(s, "etl.py", "etl.py: broken on purpose")
    outsider = bearer(app, add_user("out", "op", teams=["marketing"]))
    insider = bearer(app, add_user("in", "viewer", teams=["finance"]))
    for caller, visible in ((outsider, False), (insider, True), (client, True)):
        listed = caller.get("/api/v1/dags?search=et").json
        assert (listed["total_entries"], [d["dag_id"] for d in listed["dags"]]) == (
            (1, ["etl"]) if visible else (0, [])
        )
        files = {e["filename"] for e in caller.get("/api/v1/importErrors").json["import_errors"]}
        assert files == ({"broken.py", "etl.py"} if visible else {"broken.py"})
        changed = {c["dag_id"] for c in caller.get("/ui/changes?since=0").json["changes"]}
        assert ("etl" in changed) is visible and "reports" in changed
        for path in ("/api/v1/dags/etl", "/api/v1/dags/etl/source", "/ui/grid/etl"):
            assert caller.get(path).status_code == (200 if visible else 404)
    missing = outsider.get("/api/v1/dags/etl").json["detail"]
    assert missing == outsider.get("/api/v1/dags/nope").json["detail"].replace("nope", "etl")


def test_read_grant_without_edit_lets_a_user_read_but_not_trigger(app, data):
    with db.transaction() as s:
        grant(s, "etl", "user")  # a role grant reaches that role and every higher one
    reader = bearer(app, add_user("ulla", "user"))
    viewer = bearer(app, add_user("vic", "viewer"))
    assert reader.get("/api/v1/dags/etl").status_code == 200
    assert viewer.get("/api/v1/dags/etl").status_code == 404
    refused = reader.post("/api/v1/dags/etl/dagRuns", json={"conf": {"target": "x"}})
    assert refused.status_code == 403
    assert events(outcome="denied")[0][:3] == ("dag_runs.trigger_run", "denied", "ulla")


def test_an_admins_cached_view_never_reaches_a_viewer(app, client, data):
    with db.transaction() as s:
        grant(s, "etl", "finance")
    viewer = bearer(app, add_user("vic", "viewer"))
    admin_view = client.get("/api/v1/dags")
    assert admin_view.json["total_entries"] == 2
    assert client.get("/api/v1/dags").json == admin_view.json  # now cached
    etag = admin_view.headers["ETag"]
    mine = viewer.get("/api/v1/dags", headers={"If-None-Match": etag})
    assert mine.status_code == 200 and mine.json["total_entries"] == 1
    assert mine.headers["ETag"] != etag
    assert (
        viewer.get("/api/v1/dags", headers={"If-None-Match": mine.headers["ETag"]}).status_code
        == 304
    )


def test_a_successful_change_is_audited_with_who_what_and_where(app, data):
    user = bearer(app, add_user("uma", "user"))
    assert user.post("/api/v1/dags/etl/dagRuns", json={"conf": {"target": "x"}}).status_code == 201
    assert user.patch("/api/v1/dags/etl", json={"is_paused": True}).status_code == 200
    logged = bearer(app, add_user("ada", "admin")).get(
        "/api/v1/eventLogs?username=uma&order_by=at"
    ).json  # fmt: skip
    assert [(e["event"], e["outcome"], e["dag_id"]) for e in logged["event_logs"]] == [
        ("trigger", "success", "etl"), ("pause", "success", "etl")]  # fmt: skip
    assert logged["event_logs"][0]["address"] == "127.0.0.1"
    assert logged["event_logs"][0]["detail"]["conf"] == {"target": "x"}


def test_a_failed_change_writes_no_success_event(client, data):
    run = "scheduled__2024-01-02T00:00:00+00:00"
    bad_clear = {"dag_run_ids": [run], "task_ids": ["no_such_task"]}
    assert client.post("/api/v1/dags/etl/clearTaskInstances", json=bad_clear).status_code == 400
    duplicate = {"conf": {"target": "x"}, "run_id": run}
    assert client.post("/api/v1/dags/etl/dagRuns", json=duplicate).status_code == 409
    bad_conf = {"conf": {"count": "many", "target": "x"}}
    assert client.post("/api/v1/dags/etl/dagRuns", json=bad_conf).status_code == 400
    assert events(outcome="success") == []


def test_event_log_filters(client, data):
    client.patch("/api/v1/dags/etl", json={"is_paused": True})
    client.patch("/api/v1/dags/reports", json={"is_paused": False})
    client.post("/auth/login", json={"username": "x", "password": "wrong password"})
    by_dag = client.get("/api/v1/eventLogs?dag_id=etl").json
    assert [e["event"] for e in by_dag["event_logs"]] == ["pause"] and by_dag["total_entries"] == 1
    failed = client.get("/api/v1/eventLogs?outcome=failed").json["event_logs"]
    assert [(e["event"], e["username"]) for e in failed] == [("login", "x")]
    later = (utcnow() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert client.get(f"/api/v1/eventLogs?after={later}").json["total_entries"] == 0
    bad = client.get("/api/v1/eventLogs?outcome=maybe")
    assert bad.status_code == 400 and "outcome" in bad.json["errors"]


def test_with_auth_off_everyone_is_an_admin(db, data):
    client = create_app({"DAGKEEPER": replace(load_settings(), auth=False)}).test_client()
    assert client.get("/api/v1/dags").json["total_entries"] == 2
    assert client.get("/auth/me").json["via"] == "open"


def test_anonymous_gets_401_with_a_bearer_challenge(anonymous, db):
    response = anonymous.get("/api/v1/dags")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.content_type == "application/problem+json"


def _me(client) -> tuple[int, dict | None]:
    response = client.get("/auth/me")
    return response.status_code, response.json if response.status_code == 200 else None


VERA = {"username": "vera", "role": "user", "teams": ["ops"], "via": "token"}
CHANGED_BY_SQL = {
    "token deleted": (delete(ApiToken), (401, None)),
    "token expired": (update(ApiToken).values(expires_at=utcnow()), (401, None)),
    "role lowered": (update(User).values(role="viewer"), (200, {**VERA, "role": "viewer"})),
    "team left": (delete(UserTeam), (200, {**VERA, "teams": []})),
    "user deleted": (delete(User).where(User.username == "vera"), (401, None)),
}


@pytest.mark.parametrize("change", list(CHANGED_BY_SQL), ids=list(CHANGED_BY_SQL))
def test_a_credential_changed_by_hand_in_the_database_is_reread_on_the_next_request(
    app, data, change
):
    """Workers keep resolved credentials; triggers make *any* write, even an operator's SQL,
    advance the change token they are kept under."""
    vera = bearer(app, add_user("vera", "user", teams=["ops"]))
    assert _me(vera) == (200, VERA)  # stamps the token's first use
    assert _me(vera) == (200, VERA)  # reads it again, and keeps it
    statement, expected = CHANGED_BY_SQL[change]
    with db.transaction() as s:
        s.execute(statement)  # vera is the only user, with one token
    assert _me(vera) == expected


def test_a_cached_answer_reads_only_the_change_token(client, data):
    statements: list[str] = []
    listen = lambda _c, _cur, statement, *_a: statements.append(statement)  # noqa: E731
    event.listen(db.engine(), "before_cursor_execute", listen)
    try:
        for _ in range(2):  # the first stamps the token's last use, and so reads it again
            assert client.get("/api/v1/dags").status_code == 200
        statements.clear()
        assert client.get("/api/v1/dags").status_code == 200
    finally:
        event.remove(db.engine(), "before_cursor_execute", listen)
    assert [s.split("FROM")[1].split()[0] for s in statements] == ["change_counter"]


def test_a_tokens_text_sent_as_a_session_cookie_is_no_session(app, anonymous, data):
    token = add_user("vera", "viewer")
    assert bearer(app, token).get("/api/v1/dags").status_code == 200
    anonymous.set_cookie(COOKIE_NAME, token)
    assert anonymous.get("/api/v1/dags").status_code == 401

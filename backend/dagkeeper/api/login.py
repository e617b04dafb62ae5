"""``/auth``: log in and out (browser sessions), tokens for scripts, and who am I.

``POST /auth/token`` takes ``{"username", "password"}`` and answers
``{"access_token": ...}``, the shape the leading peer's clients use. The
password is checked (argon2, about a tenth of a second) only here, never per
request; failures are throttled per username and per address in the database.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NoReturn

from flask import current_app, request
from werkzeug.exceptions import abort as werkzeug_abort

from dagkeeper import db
from dagkeeper.accounts.identity import Identity, teams_of
from dagkeeper.accounts.passwords import verify_password
from dagkeeper.accounts.sessions import COOKIE_NAME, end_session, start_session
from dagkeeper.accounts.throttle import begin_attempt, succeeded
from dagkeeper.accounts.tokens import issue_token
from dagkeeper.accounts.users import find_user
from dagkeeper.api.auth import PUBLIC, current_identity, requires
from dagkeeper.api.auth.audit import audit
from dagkeeper.api.errors import abort, problem_response
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas import auth as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import Outcome, Role, User, utcnow

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Login and tokens")
ACCESS_TOKEN_NAME = "auth/token"


def _failed(username: str, reason: str) -> None:
    with db.transaction() as s:
        audit(s, "login", target=username, username=username, outcome=Outcome.FAILED,
              detail={"reason": reason})  # fmt: skip


def _authenticate(username: str, password: str) -> User:
    """The user whose password this is, or a 401 (or 429 when throttled)."""
    settings = current_app.config["DAGKEEPER"]
    address = request.remote_addr or "unknown"
    if begin_attempt(username, address, settings) is None:
        _failed(username, "too many failed logins")
        retry = str(int(settings.login_failure_window))
        abort_with(429, "too many failed logins; wait and try again", {"Retry-After": retry})
    with db.read_session() as s:
        user = find_user(s, username)
    if not verify_password(user.password_hash if user else None, password):
        _failed(username, "wrong username or password")
        abort(401, "wrong username or password")
    return user


def abort_with(status: int, detail: str, headers: dict[str, str]) -> NoReturn:
    body, status, base = problem_response(status, detail)
    werkzeug_abort(current_app.response_class(body, status, {**base, **headers}))


def me_dict(identity: Identity) -> dict:
    return {"username": identity.username, "role": identity.role,
            "teams": list(identity.teams), "via": identity.via}  # fmt: skip


@blp.route("/login", methods=["POST"])
@requires(PUBLIC)
@blp.arguments(schemas.Credentials)
@blp.response(200, schemas.Me)
def login(body):
    """Log in: sets an HttpOnly, SameSite session cookie checked on every request."""
    settings = current_app.config["DAGKEEPER"]
    user = _authenticate(body["username"], body["password"])
    now = utcnow()
    with db.transaction() as s:
        cookie = start_session(s, user.id, request.remote_addr, now, settings.session_max_age)
        s.get(User, user.id).last_login_at = now
        succeeded(s, user.username)
        audit(s, "login", target=user.username, username=user.username)
    with db.read_session() as s:
        teams = teams_of(s, user.id)
    response = json_response(me_dict(Identity(user.id, user.username, user.role, teams)))
    response.set_cookie(
        COOKIE_NAME, cookie, max_age=int(settings.session_max_age), httponly=True,
        samesite="Lax", secure=request.is_secure, path="/",
    )  # fmt: skip
    return response


@blp.route("/logout", methods=["POST"])
@requires(Role.VIEWER)
@blp.response(204)
def logout():
    """End this browser session on every worker at once."""
    identity = current_identity()
    with db.transaction() as s:
        if identity.via == "session":
            end_session(s, identity.credential)
        audit(s, "logout", target=identity.username)
    response = current_app.response_class(status=204)
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="Lax")
    return response


@blp.route("/token", methods=["POST"])
@requires(PUBLIC)
@blp.arguments(schemas.Credentials)
@blp.response(200, schemas.AccessToken)
def token(body):
    """Exchange a username and password for a bearer token (``Authorization: Bearer ...``)."""
    ttl = current_app.config["DAGKEEPER"].access_token_ttl
    user = _authenticate(body["username"], body["password"])
    with db.transaction() as s:
        expires = utcnow() + timedelta(seconds=ttl)
        row, text = issue_token(s, user.id, ACCESS_TOKEN_NAME, expires)
        succeeded(s, user.username)
        audit(s, "token_create", target=f"token {row.id}", username=user.username,
              detail={"name": ACCESS_TOKEN_NAME})  # fmt: skip
    return json_response({"access_token": text, "token_type": "bearer", "expires_in": int(ttl)})


@blp.route("/me")
@requires(Role.VIEWER)
@blp.response(200, schemas.Me)
def me():
    """Who the caller is: name, role, teams and how they authenticated."""
    return json_response(me_dict(current_identity()))

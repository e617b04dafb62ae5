"""``/api/v1/users``: admins create users, change roles, teams and passwords, delete users.

Every change ends the user's sessions in the same transaction, and is audited
in it. The last admin cannot be demoted or deleted (nobody could undo it).
"""

from __future__ import annotations

from sqlalchemy import func, select

from dagkeeper import db
from dagkeeper.accounts.users import (
    AccountError,
    create_user,
    delete_user,
    find_user,
    list_users,
    team_map,
    update_user,
)  # fmt: skip
from dagkeeper.api.auth import requires
from dagkeeper.api.auth.audit import audit
from dagkeeper.api.errors import abort, not_found
from dagkeeper.api.request_cycle import end_reads, session
from dagkeeper.api.responses import iso, json_response
from dagkeeper.api.schemas import auth as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import Role, User

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Users (admins)")


def user_dict(user: User, teams: list[str]) -> dict:
    return {
        "username": user.username,
        "role": user.role,
        "teams": teams,
        "has_password": user.password_hash is not None,
        "created_at": iso(user.created_at),
        "last_login_at": iso(user.last_login_at),
    }


def _one(username: str) -> dict:
    user = find_user(session(), username)
    if user is None:
        not_found(f"user {username!r}")
    return user_dict(user, team_map(session(), [user.id])[user.id])


def _account_error(error: AccountError):
    status = 409 if "already exists" in error.message else 400
    abort(status, str(error), {error.field: [error.message]})


def _keep_an_admin(s, user: User) -> None:
    admins = s.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN))
    if user.role == Role.ADMIN and admins <= 1:
        abort(409, f"{user.username!r} is the last admin; make another admin first")


@blp.route("")
@requires(Role.ADMIN)
@blp.response(200, schemas.UserCollection)
def get_users():
    """Every user with role and teams."""
    users = list_users(session())
    teams = team_map(session(), [u.id for u in users])
    body = [user_dict(u, teams[u.id]) for u in users]
    return json_response({"users": body, "total_entries": len(body)})


@blp.route("", methods=["POST"])
@requires(Role.ADMIN)
@blp.arguments(schemas.UserBody)
@blp.response(201, schemas.UserSchema)
def post_user(body):
    """Create a user (with a password, or token-only without one)."""
    try:
        with db.transaction() as s:
            user = create_user(s, body["username"], body["role"], body.get("password"),
                               body.get("teams", []))  # fmt: skip
            audit(s, "user_create", target=user.username,
                  detail={"role": user.role, "teams": body.get("teams", [])})  # fmt: skip
    except AccountError as error:
        _account_error(error)
    end_reads()
    return json_response(_one(body["username"]), status=201)


@blp.route("/<username>")
@requires(Role.ADMIN)
@blp.response(200, schemas.UserSchema)
def get_user(username: str):
    """One user."""
    return json_response(_one(username))


@blp.route("/<username>", methods=["PATCH"])
@requires(Role.ADMIN)
@blp.arguments(schemas.UserPatch)
@blp.response(200, schemas.UserSchema)
def patch_user(body, username: str):
    """Change role, teams or password; the user's sessions end everywhere."""
    try:
        with db.transaction() as s:
            user = find_user(s, username)
            if user is None:
                not_found(f"user {username!r}")
            if body.get("role", Role.ADMIN) != Role.ADMIN:
                _keep_an_admin(s, user)
            update_user(s, user, role=body.get("role"), teams=body.get("teams"),
                        password=body.get("password"))  # fmt: skip
            changed = sorted(body)
            audit(s, "password_reset" if changed == ["password"] else "user_update",
                  target=username, detail={k: body[k] for k in changed if k != "password"})  # fmt: skip
    except AccountError as error:
        _account_error(error)
    end_reads()
    return json_response(_one(username))


@blp.route("/<username>", methods=["DELETE"])
@requires(Role.ADMIN)
@blp.response(204)
def remove_user(username: str):
    """Delete a user with their sessions and tokens."""
    with db.transaction() as s:
        user = find_user(s, username)
        if user is None:
            not_found(f"user {username!r}")
        _keep_an_admin(s, user)
        delete_user(s, user)
        audit(s, "user_delete", target=username)
    return "", 204

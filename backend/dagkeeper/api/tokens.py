"""``/api/v1/tokens``: personal API tokens, created and revoked by their owner (or an admin).

The token text is returned once, at creation; only its keyed hash is stored.
A revoked token is refused by every worker on the next request.
"""

from __future__ import annotations

from datetime import timedelta

from dagkeeper import db
from dagkeeper.accounts.tokens import issue_token, revoke_token, tokens_of
from dagkeeper.accounts.users import find_user
from dagkeeper.api.auth import current_identity, requires
from dagkeeper.api.auth.audit import audit
from dagkeeper.api.errors import abort, not_found
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import iso, json_response
from dagkeeper.api.schemas import auth as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import ApiToken, Role, utcnow

blp = Blueprint("tokens", __name__, url_prefix="/api/v1/tokens", description="API tokens")


def token_dict(token: ApiToken, username: str) -> dict:
    return {
        "id": token.id,
        "name": token.name,
        "username": username,
        "prefix": token.prefix,
        "created_at": iso(token.created_at),
        "expires_at": iso(token.expires_at),
        "last_used_at": iso(token.last_used_at),
    }


def _whose(username: str | None, s) -> tuple[int, str]:
    """The user a request is about: the caller, or (admins only) ``username``."""
    me = current_identity()
    if username is None or username == me.username:
        if me.user_id is None:
            abort(400, "authentication is off: there is no user to own a token")
        return me.user_id, me.username
    if not me.is_admin:
        abort(403, "only admins manage other users' tokens")
    user = find_user(s, username)
    if user is None:
        not_found(f"user {username!r}")
    return user.id, user.username


@blp.route("")
@requires(Role.VIEWER)
@blp.arguments(schemas.TokenListQuery, location="query")
@blp.response(200, schemas.TokenCollection)
def list_tokens(args):
    """The caller's tokens (admins: ``?username=`` or ``?all=true``)."""
    if args["all"]:
        if not current_identity().is_admin:
            abort(403, "only admins list everyone's tokens")
        user_id = None
    else:
        user_id, _ = _whose(args.get("username"), session())
    rows = [token_dict(t, u) for t, u in tokens_of(session(), user_id)]
    return json_response({"tokens": rows, "total_entries": len(rows)})


@blp.route("", methods=["POST"])
@requires(Role.VIEWER)
@blp.arguments(schemas.TokenBody)
@blp.response(201, schemas.NewToken)
def create_token(body):
    """Create a personal token; its text is in this response and nowhere else."""
    days = body.get("expires_in_days")
    with db.transaction() as s:
        user_id, username = _whose(body.get("username"), s)
        expires = utcnow() + timedelta(days=days) if days else None
        row, text = issue_token(s, user_id, body["name"], expires)
        audit(s, "token_create", target=f"token {row.id} of {username}",
              detail={"name": body["name"], "expires_in_days": days})  # fmt: skip
    return json_response({**token_dict(row, username), "token": text}, status=201)


@blp.route("/<int:token_id>", methods=["DELETE"])
@requires(Role.VIEWER)
@blp.response(204)
def delete_token(token_id: int):
    """Revoke a token (one's own; admins: anyone's)."""
    me = current_identity()
    with db.transaction() as s:
        token = s.get(ApiToken, token_id)
        if token is None or (token.user_id != me.user_id and not me.is_admin):
            not_found(f"token {token_id}")
        revoke_token(s, token_id)
        audit(s, "token_revoke", target=f"token {token_id}", detail={"name": token.name})
    return "", 204

"""``dagkeeper tokens create|list|revoke``: personal API tokens for scripts."""

from __future__ import annotations

import sys
from datetime import timedelta


def register(subparsers) -> None:
    parser = subparsers.add_parser("tokens", help="manage API tokens")
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a token; it is printed once")
    create.add_argument("--username", required=True)
    create.add_argument("--name", required=True, help="what the token is for")
    create.add_argument("--expires-in-days", type=int, help="default: until revoked")
    listing = actions.add_parser("list", help="list tokens (never their text)")
    listing.add_argument("--username", help="default: everyone's")
    revoke = actions.add_parser("revoke", help="revoke a token by id; refused everywhere at once")
    revoke.add_argument("--id", type=int, required=True)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from dagkeeper import db
    from dagkeeper.accounts.tokens import issue_token, revoke_token, tokens_of
    from dagkeeper.accounts.users import find_user
    from dagkeeper.models import record_event, utcnow

    with db.transaction() as s:
        user = find_user(s, args.username) if getattr(args, "username", None) else None
        if getattr(args, "username", None) and user is None:
            print(f"No user {args.username!r}.", file=sys.stderr)
            return 1
        if args.action == "list":
            for token, owner in tokens_of(s, user.id if user else None):
                used = token.last_used_at.isoformat() if token.last_used_at else "never"
                print(f"{token.id:6} {owner:20} {token.name:24} {token.prefix}…  last used {used}")
            return 0
        if args.action == "create":
            days = args.expires_in_days
            expires = utcnow() + timedelta(days=days) if days else None
            row, text = issue_token(s, user.id, args.name, expires)
            record_event(s, "token_create", username="cli", address="local",
                         target=f"token {row.id} of {user.username}")  # fmt: skip
            print(text)
            return 0
        if not revoke_token(s, args.id):
            print(f"No token {args.id}.", file=sys.stderr)
            return 1
        record_event(s, "token_revoke", username="cli", address="local", target=f"token {args.id}")
    print(f"Revoked token {args.id}.")
    return 0

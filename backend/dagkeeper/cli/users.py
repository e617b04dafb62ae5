"""``dagkeeper users create|list|delete|set-role|set-teams|reset-password``.

Changes go through the same functions as ``/api/v1/users`` and are written to
the audit log as done by ``cli`` from the machine's own shell.
"""

from __future__ import annotations

import getpass
import secrets
import sys

ROLE_HELP = "viewer, user, op or admin"


def register(subparsers) -> None:
    parser = subparsers.add_parser("users", help="manage users, roles and teams")
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a user")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, help=ROLE_HELP)
    create.add_argument("--team", action="append", default=[], help="a team (repeatable)")
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from stdin (default: ask, or generate)")  # fmt: skip
    create.add_argument("--no-password", action="store_true", help="a token-only user")
    actions.add_parser("list", help="list users with role and teams")
    delete = actions.add_parser("delete", help="delete a user, its sessions and tokens")
    delete.add_argument("--username", required=True)
    role = actions.add_parser("set-role", help="change a user's role (ends its sessions)")
    role.add_argument("--username", required=True)
    role.add_argument("--role", required=True, help=ROLE_HELP)
    teams = actions.add_parser("set-teams", help="replace a user's teams (ends its sessions)")
    teams.add_argument("--username", required=True)
    teams.add_argument("--team", action="append", default=[], help="a team (repeatable)")
    reset = actions.add_parser("reset-password", help="set a new password (ends its sessions)")
    reset.add_argument("--username", required=True)
    reset.add_argument("--password-stdin", action="store_true")
    parser.set_defaults(handler=run)


def read_password(from_stdin: bool) -> tuple[str, bool]:
    """The password and whether it was generated (then it must be shown once)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Again: "):
            raise SystemExit("The passwords differ; nothing changed.")
        return first, False
    return secrets.token_urlsafe(12), True


def run(args) -> int:
    from dagkeeper import db
    from dagkeeper.accounts import users
    from dagkeeper.models import record_event

    def audit(s, event: str, target: str) -> None:
        record_event(s, event, username="cli", address="local", target=target)

    try:
        if args.action == "list":
            with db.read_session() as s:
                found = users.list_users(s)
                teams = users.team_map(s, [u.id for u in found])
            for user in found:
                print(f"{user.username:30} {user.role:8} {','.join(teams[user.id])}")
            return 0
        if args.action == "create":
            password, generated = (None, False) if args.no_password else read_password(
                args.password_stdin
            )  # fmt: skip
            with db.transaction() as s:
                users.create_user(s, args.username, args.role, password, args.team)
                audit(s, "user_create", args.username)
            print(f"Created {args.role} {args.username!r}.")
            if generated:
                print(f"Password (shown once): {password}")
            return 0
        with db.transaction() as s:
            user = users.find_user(s, args.username)
            if user is None:
                print(f"No user {args.username!r}.", file=sys.stderr)
                return 1
            if args.action == "delete":
                users.delete_user(s, user)
                audit(s, "user_delete", args.username)
            elif args.action == "set-role":
                users.update_user(s, user, role=args.role)
                audit(s, "user_update", args.username)
            elif args.action == "set-teams":
                users.update_user(s, user, teams=args.team)
                audit(s, "user_update", args.username)
            else:
                password, generated = read_password(args.password_stdin)
                users.update_user(s, user, password=password)
                audit(s, "password_reset", args.username)
                if generated:
                    print(f"Password (shown once): {password}")
    except users.AccountError as error:
        print(f"Nothing changed: {error}", file=sys.stderr)
        return 2
    print(f"Done: {args.action} {args.username!r}.")
    return 0

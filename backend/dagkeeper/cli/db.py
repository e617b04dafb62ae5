"""``dagkeeper db migrate|reset``."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("db", help="database schema commands")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("migrate", help="bring the schema to the newest revision (idempotent)")
    reset = actions.add_parser("reset", help="drop every table and migrate again")
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from dagkeeper.config import load_settings, masked_db_url
    from dagkeeper.migrate import migrate, reset

    url = load_settings().db_url
    shown = masked_db_url(url)
    if args.action == "migrate":
        migrate(url)
        print(f"Database at {shown} is at the newest revision.")
        return 0
    if not args.yes and input(f"Erase every row in {shown}? [y/N] ").strip().lower() != "y":
        print("Nothing changed.")
        return 1
    reset(url)
    print(f"Database at {shown} was reset.")
    return 0

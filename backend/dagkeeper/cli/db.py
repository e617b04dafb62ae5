"""``dagkeeper db migrate|reset|clean``."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser("db", help="database schema commands")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("migrate", help="bring the schema to the newest revision (idempotent)")
    reset = actions.add_parser("reset", help="drop every table and migrate again")
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    clean = actions.add_parser(
        "clean",
        help="delete finished runs older than a cutoff, in batches",
        description="Delete runs that finished more than DAYS days ago, with their task instances,"
        " logs, XComs, rendered fields, history and audit rows, N runs per transaction.",
    )
    clean.add_argument("--older-than", type=_days, required=True, metavar="DAYS")
    clean.add_argument("--dag", action="append", default=[], help="only this DAG (repeatable)")
    clean.add_argument("--dry-run", action="store_true", help="print what would go, delete nothing")
    clean.add_argument("--batch-size", type=_positive, default=500, metavar="N", help="default 500")
    parser.set_defaults(handler=run)


def _days(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError("DAYS must be a number of days, 0 or more")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("N must be 1 or more")
    return value


def run(args) -> int:
    from dagkeeper.config import load_settings, masked_db_url
    from dagkeeper.migrate import migrate, reset

    if args.action == "clean":
        from dagkeeper.cli.clean import run_clean

        return run_clean(args)
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

"""The ``dagkeeper`` command: one sub-module per command group.

Each module exposes ``register(subparsers)`` and imports what it needs inside
its handlers, so ``dagkeeper webserver`` never loads the DAG-authoring or
processor code into the gunicorn master its workers fork from.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = (
    "db", "dags", "scheduler", "tasks", "webserver", "standalone", "worker", "users", "tokens",
    "convert", "variables", "connections", "pools", "triggerer", "backfill",
)  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dagkeeper", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"dagkeeper.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"dagkeeper.cli.{name}":
                raise
            continue  # a command group not built yet
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

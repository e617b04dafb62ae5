"""``dagkeeper convert SRC [DEST]``: rewrite the peer's import lines in DAG files to ours.

Prints ``file:line`` for every name that has no equivalent here; exits 0
when everything was mapped, 1 otherwise (2 when SRC does not exist).
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "convert", help="rewrite the peer's (Airflow's) import lines in DAG files to dagkeeper's"
    )
    parser.add_argument("source", type=Path, help="a DAG file or a folder of them")
    parser.add_argument(
        "destination", type=Path, nargs="?", help="where to write (default: in place)"
    )
    parser.set_defaults(handler=convert_command)


def convert_command(args) -> int:
    from dagkeeper.convert.files import convert_path

    if not args.source.exists():
        print(f"{args.source} does not exist", file=sys.stderr)
        return 2
    report = convert_path(args.source, args.destination)
    for path, problem in report.errors:
        print(f"{path}:{problem} (not converted)")
    for path, unmapped in report.unmapped:
        print(f"{path}:{unmapped.line}: {unmapped.what} has no dagkeeper equivalent")
    print(
        f"{report.converted} file(s) converted, {len(report.unmapped)} name(s) not mapped, "
        f"{len(report.errors)} file(s) not parsed",
        file=sys.stderr,
    )
    return 0 if report.ok else 1

"""``dagkeeper db clean``: print per-table counts, with a rich progress bar while deleting."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from dagkeeper import db
from dagkeeper.models.clean import CleanScope, clean, count


def run_clean(args) -> int:
    scope = CleanScope(datetime.now(UTC) - timedelta(days=args.older_than), tuple(args.dag))
    console = Console()
    with db.read_session() as session:
        planned = count(session, scope)
    if args.dry_run:
        _print(console, "Would delete (dry run, nothing deleted)", planned)
        return 0
    with Progress(console=console, transient=True) as progress:
        bar = progress.add_task("Deleting runs", total=planned["dag_run"] or None)

        def advance(batch: Counter[str]) -> None:
            progress.advance(bar, batch["dag_run"])

        deleted = clean(db.transaction, scope, args.batch_size, advance)
    _print(console, "Deleted", deleted)
    return 0


def _print(console: Console, title: str, counts: dict[str, int]) -> None:
    console.print(f"{title}: runs finished before the cutoff, and their rows")
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in counts.items():
        table.add_row(name, f"{rows:,}")
    console.print(table)

"""``dagkeeper dags parse|list|show``.

``parse`` runs the processor (one pass, or ``--watch`` to keep going); ``list``
and ``show`` read the database only, like the web server, so they show
exactly what the UI shows.
"""

from __future__ import annotations

import signal
import sys
import threading


def register(subparsers) -> None:
    parser = subparsers.add_parser("dags", help="parse DAG files and inspect stored DAGs")
    actions = parser.add_subparsers(dest="action", required=True)
    parse = actions.add_parser("parse", help="parse the DAG folder into the database")
    parse.add_argument("--watch", action="store_true", help="keep parsing as files change")
    parse.add_argument("--force", action="store_true", help="parse unchanged files too")
    parse.set_defaults(handler=parse_command)
    listing = actions.add_parser("list", help="list the DAGs in the database")
    listing.set_defaults(handler=list_command)
    show = actions.add_parser("show", help="show one DAG's attributes, tasks and edges")
    show.add_argument("dag_id")
    show.set_defaults(handler=show_command)


def parse_command(args) -> int:
    from dagkeeper.config import load_settings
    from dagkeeper.processor.scan import DagFolderError, scan

    settings = load_settings()
    folder = settings.dags_folder
    if not folder.is_dir():
        print(f"DAG folder {folder} does not exist or is not a folder.", file=sys.stderr)
        return 2
    try:
        if args.watch:
            return _watch(folder, settings.rescan_interval)
        summary = _with_progress(lambda progress: scan(folder, force=args.force, progress=progress))
    except DagFolderError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Parsed {folder}: {summary.line()}")
    return 0


def _with_progress(run):
    """Run ``run(progress)`` with a progress bar on a terminal and silently otherwise."""
    if not sys.stdout.isatty():
        return run(None)
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("Parsing DAG files", total=None)
        return run(lambda done, total: bar.update(task, completed=done, total=total))


def _watch(folder, rescan_interval: float) -> int:
    from dagkeeper.processor.watch import watch

    stop = threading.Event()

    def leave(*_) -> None:
        # Raised where the main thread is: a publication in flight rolls back, and
        # running parse children are killed on the way out (never left behind).
        stop.set()
        raise SystemExit(0)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, leave)

    def report(summary) -> None:
        if summary.parsed or summary.deleted:
            print(f"Parsed {folder}: {summary.line()}", flush=True)

    print(f"Watching {folder} (full rescan every {rescan_interval:g} s).", flush=True)
    watch(folder, rescan_interval=rescan_interval, stop=stop, on_pass=report)
    return 0


def list_command(args) -> int:
    from rich.console import Console
    from rich.table import Table
    from sqlalchemy import select

    from dagkeeper.db import read_session
    from dagkeeper.models import Dag

    with read_session() as session:
        dags = session.scalars(select(Dag).order_by(Dag.dag_id)).all()
    table = Table("dag_id", "schedule", "paused", "active", "version", "fileloc", box=None)
    for dag in dags:
        schedule = dag.schedule_expression or dag.schedule_kind
        table.add_row(
            dag.dag_id,
            schedule,
            _yes(dag.is_paused),
            _yes(dag.is_active),
            str(dag.version_number),
            dag.fileloc + (" (import errors)" if dag.has_import_errors else ""),
        )
    Console(width=200 if not sys.stdout.isatty() else None).print(table)
    return 0


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def show_command(args) -> int:
    from dagkeeper.db import read_session
    from dagkeeper.models import Dag, DagVersion

    with read_session() as session:
        dag = session.get(Dag, args.dag_id)
        version = session.get(DagVersion, dag.current_version_id) if dag else None
    if dag is None or version is None:
        print(f"DAG {args.dag_id!r} not found in the database.", file=sys.stderr)
        return 1
    document = version.read()
    attributes = {
        "dag_id": dag.dag_id,
        "description": dag.description,
        "fileloc": dag.fileloc,
        "schedule": f"{dag.schedule_expression or dag.schedule_kind} ({dag.schedule_summary})",
        "timezone": dag.timezone,
        "start_date": dag.start_date,
        "end_date": dag.end_date,
        "catchup": dag.catchup,
        "owners": dag.owners,
        "tags": ", ".join(document.tags),
        "paused": dag.is_paused,
        "active": dag.is_active,
        "has_import_errors": dag.has_import_errors,
        "version": f"{version.version_number} ({version.hash[:12]})",
        "next_dagrun": dag.next_dagrun,
        "max_active_runs": dag.max_active_runs,
        "max_active_tasks": dag.max_active_tasks,
    }
    for name, value in attributes.items():
        print(f"{name + ':':<20}{'' if value is None else value}")
    print(f"\nTasks ({len(document.tasks)}):")
    for task in document.tasks.values():
        print(f"  {task.task_id}  [{task.operator}]  retries={task.retries}  {task.trigger_rule}")
    print(f"\nEdges ({len(document.edges)}):")
    for up, down in document.edges:
        print(f"  {up} >> {down}")
    return 0

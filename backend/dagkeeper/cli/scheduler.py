"""``dagkeeper scheduler``: create runs, schedule tasks and hand them to the executor.

``DAGKEEPER_EXECUTOR`` picks it: ``local`` (processes on this host, the
default) or ``celery`` (``dagkeeper worker`` processes on any host).

On SQLite run one scheduler (SQLite has a single writer); on PostgreSQL
several may run at once: they lock disjoint rows and the unique constraints
make duplicate runs impossible.
"""

from __future__ import annotations

import logging
import signal
import threading


def register(subparsers) -> None:
    parser = subparsers.add_parser("scheduler", help="run the scheduler and its executor")
    parser.add_argument(
        "--parallelism",
        type=int,
        default=None,
        help="tries queued or running at once (default: env)",
    )
    parser.set_defaults(handler=run)


def run(args) -> int:
    from dagkeeper.config import load_settings, masked_db_url
    from dagkeeper.executors import executor_for
    from dagkeeper.scheduler.loop import Scheduler

    logging.basicConfig(
        level=logging.INFO, format="[%(asctime)s] %(name)s %(levelname)s %(message)s"
    )
    settings = load_settings()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    executor = executor_for(settings, args.parallelism)
    print(
        f"dagkeeper scheduler: database {masked_db_url(settings.db_url)}, "
        f"{settings.executor} executor, parallelism {executor.parallelism}",
        flush=True,
    )
    Scheduler(executor, settings).run(stop)
    return 0

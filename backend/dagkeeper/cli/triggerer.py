"""``dagkeeper triggerer``: hold deferred tasks' waits (timers, files) in one asyncio loop.

Run one or several (on PostgreSQL they claim disjoint triggers); a killed
triggerer's triggers are taken over once its lease
(``DAGKEEPER_TRIGGERER_LEASE`` seconds, default 30) runs out.
"""

from __future__ import annotations

import logging
import signal
import threading


def register(subparsers) -> None:
    parser = subparsers.add_parser("triggerer", help="run the triggerer (deferred tasks' waits)")
    parser.add_argument(
        "--capacity", type=int, default=1000, help="triggers held at once (default: 1000)"
    )
    parser.set_defaults(handler=run)


def run(args) -> int:
    from dagkeeper.config import load_settings, masked_db_url
    from dagkeeper.triggerer.loop import Triggerer

    logging.basicConfig(
        level=logging.INFO, format="[%(asctime)s] %(name)s %(levelname)s %(message)s"
    )
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    settings = load_settings()
    print(
        f"dagkeeper triggerer: database {masked_db_url(settings.db_url)}, capacity {args.capacity}",
        flush=True,
    )
    Triggerer(args.capacity).run(stop)
    return 0

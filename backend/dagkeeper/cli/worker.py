"""``dagkeeper worker``: run tries sent through Celery (``DAGKEEPER_EXECUTOR=celery``) here."""

from __future__ import annotations

import socket


def _queues(text: str) -> list[str]:
    queues = [q.strip() for q in text.split(",") if q.strip()]
    if not queues:
        raise ValueError("--queues needs at least one queue name")
    return queues


def register(subparsers) -> None:
    parser = subparsers.add_parser("worker", help="run tries from Celery queues on this host")
    parser.add_argument(
        "--hostname", default=socket.gethostname(),
        help="the name runs and the Workers page show for this worker (default: host name)",
    )  # fmt: skip
    parser.add_argument("--concurrency", type=int, default=4, help="tries at once (default 4)")
    parser.add_argument(
        "--queues", type=_queues, default=None,
        help="comma-separated queues to consume (default: DAGKEEPER_DEFAULT_QUEUE)",
    )  # fmt: skip
    parser.set_defaults(handler=run)


def run(args) -> int:
    import logging

    from dagkeeper.config import load_settings, masked_db_url
    from dagkeeper.executors.worker import run_worker

    logging.basicConfig(
        level=logging.INFO, format="[%(asctime)s] %(name)s %(levelname)s %(message)s"
    )
    settings = load_settings()
    queues = args.queues or [settings.default_queue]
    print(
        f"dagkeeper worker {args.hostname}: queues {','.join(queues)}, concurrency "
        f"{args.concurrency}, broker {masked_db_url(settings.celery_broker_url)}",
        flush=True,
    )
    run_worker(settings, args.hostname, args.concurrency, queues)
    return 0

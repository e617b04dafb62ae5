"""``dagkeeper worker``: run the tries sent to some Celery queues, on this host.

The worker preloads like the local executor: a zygote process imports the
runner, SQLAlchemy and the authoring API once and forks one runner per try.
Each of ``concurrency`` Celery threads hands one message's try to the zygote
and waits for its runner to exit before the message is acknowledged. The
worker never imports DAG code itself, and keeps a row in the ``worker``
table alive (its queues, its concurrency, a heartbeat) for the Workers page.

Killing the worker process leaves its runners alone: they finish their
tries and record them. Losing the host (or the whole process tree) leaves
their tries running without a heartbeat; the scheduler's heartbeat check
retries or fails them.
"""

from __future__ import annotations

import logging
import os
import threading

from celery import signals
from sqlalchemy import update

from dagkeeper import db
from dagkeeper.config import Settings
from dagkeeper.executors import TaskKey
from dagkeeper.executors.celery_executor import TASK_NAME, make_app
from dagkeeper.executors.local import LocalExecutor
from dagkeeper.models import Worker, utcnow

log = logging.getLogger(__name__)


class Registry:
    """This worker's row: inserted (or taken over) at start, heartbeated, stopped at exit."""

    def __init__(self, hostname: str, queues: list[str], concurrency: int, interval: float):
        self.hostname = hostname
        self.queues = ",".join(queues)
        self.concurrency = concurrency
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="worker-heartbeat", daemon=True)

    def start(self) -> None:
        now = utcnow()
        with db.transaction() as session:
            session.merge(
                Worker(
                    hostname=self.hostname,
                    queues=self.queues,
                    concurrency=self.concurrency,
                    pid=os.getpid(),
                    started_at=now,
                    last_heartbeat_at=now,
                    stopped_at=None,
                )
            )
        self._thread.start()

    def _write(self, **values) -> None:
        with db.transaction() as session:
            session.execute(update(Worker).where(Worker.hostname == self.hostname).values(**values))

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._write(last_heartbeat_at=utcnow())
            except Exception:  # the database is away for a moment: try again next time
                log.warning("could not record the worker heartbeat", exc_info=True)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._write(stopped_at=utcnow())


def run_worker(settings: Settings, hostname: str, concurrency: int, queues: list[str]) -> None:
    """Consume ``queues`` with ``concurrency`` tries at once until SIGTERM/SIGINT."""
    os.environ["DAGKEEPER_HOSTNAME"] = hostname  # what this host's runners record
    app = make_app(settings.celery_broker_url, settings.celery_visibility_timeout)
    zygote = LocalExecutor(concurrency, db_url=settings.db_url)
    registry = Registry(hostname, queues, concurrency, settings.worker_heartbeat)

    @app.task(name=TASK_NAME, acks_late=True, ignore_result=True)
    def run_try(*key) -> None:
        exit = zygote.run(TaskKey(*key))
        if exit is None:
            log.info("duplicate delivery of %s: already running here", key)
        elif exit.exit_code < 0:
            log.warning("the runner of %s was killed by signal %d", key, -exit.exit_code)

    @signals.worker_ready.connect(weak=False)
    def _ready(**_) -> None:
        registry.start()

    @signals.worker_shutdown.connect(weak=False)
    def _shutdown(**_) -> None:
        zygote.stop()
        registry.stop()

    zygote.start()
    db.engine().dispose()  # the zygote's runners open their own connections
    app.worker_main(
        [
            "worker",
            "--pool=threads",
            f"--concurrency={concurrency}",
            f"--queues={','.join(queues)}",
            f"--hostname={hostname}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )

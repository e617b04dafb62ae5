"""``CeleryExecutor``: send each queued try by name to workers on other hosts.

The broker only delivers work. A try is claimed in the database by the
runner a worker forks for it (queued at try N -> running, one winner), so a
duplicate, redelivered or late message is a no-op; messages are acknowledged
late, but broker redelivery is never the retry mechanism -- the scheduler's
heartbeat check is, and a try whose message was lost is sent again from the
database (see :mod:`dagkeeper.scheduler.loop`). The scheduler never imports
the runner or DAG code: it names the task, ``dagkeeper.run_try``.
"""

from __future__ import annotations

import logging
import time

from celery import Celery

from dagkeeper.executors import TaskExit, TaskKey

log = logging.getLogger(__name__)

TASK_NAME = "dagkeeper.run_try"
BROKER_DOWN_PAUSE = 2.0  # seconds without sending after a failed send; re-sends cover the gap


def make_app(broker_url: str, visibility_timeout: float = 3600.0) -> Celery:
    """The Celery app both ends share: late acks, one message per free thread, JSON only."""
    app = Celery("dagkeeper", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_acks_on_failure_or_timeout=True,
        task_reject_on_worker_lost=False,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        broker_transport_options={
            "visibility_timeout": visibility_timeout,
            # kombu sweeps for unacknowledged messages every interval x throttle seconds
            # (100 s by default since 5.7): sweep within half a visibility timeout instead,
            # so a message whose worker died is redelivered about when it is due.
            "unacked_restore_interval": max(1, min(10, int(visibility_timeout / 2))),
            "unacked_restore_throttle": 1,
        },
        worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        worker_enable_remote_control=False,
        worker_send_task_events=False,
    )
    return app


class CeleryExecutor:
    def __init__(self, parallelism: int, broker_url: str, visibility_timeout: float = 3600.0):
        self.parallelism = parallelism
        self.app = make_app(broker_url, visibility_timeout)
        self._paused_until = 0.0

    def start(self) -> None:
        """Nothing to start: the connection opens on the first send."""

    def queue(self, key: TaskKey) -> None:
        """Send ``key`` to its queue; if the broker is down, its re-send comes later."""
        if time.monotonic() < self._paused_until:
            return
        try:
            self.app.send_task(
                TASK_NAME,
                args=list(key),
                queue=key.queue,
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2},
            )
        except Exception as exc:  # the broker is unreachable: the database still has the try
            self._paused_until = time.monotonic() + BROKER_DOWN_PAUSE
            log.warning("could not send %s to the broker (%s); it will be sent again", key, exc)

    def collect_exits(self) -> list[TaskExit]:
        return []  # runner processes live on other hosts: the heartbeat check covers them

    def exits_pending(self) -> bool:
        return False

    def wait(self, timeout: float) -> bool:
        time.sleep(timeout)
        return False

    def stop(self) -> None:
        self.app.close()

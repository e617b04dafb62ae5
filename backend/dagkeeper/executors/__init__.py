"""Executors: hand queued tries to processes, here (local) or on worker hosts (Celery).

The scheduler hands an executor :class:`TaskKey` values and reads back
:class:`TaskExit` values where the executor can see its processes end (local
only; on other hosts the heartbeat check covers dead runners). A try is
claimed in the database by its runner, so handing one over twice is harmless.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

from dagkeeper.config import Settings


class TaskKey(NamedTuple):
    """One try of one task instance, and the identifiers its runner command takes."""

    ti_id: int
    try_number: int
    dag_id: str
    run_id: str
    task_id: str
    queue: str = "default"
    map_index: int = -1  # which element of a mapped task; -1 for an unmapped task


class TaskExit(NamedTuple):
    key: TaskKey
    pid: int | None
    exit_code: int  # negative: killed by that signal


class Executor(Protocol):
    parallelism: int

    def start(self) -> None: ...
    def queue(self, key: TaskKey) -> None: ...
    def collect_exits(self) -> list[TaskExit]: ...
    def exits_pending(self) -> bool: ...
    def wait(self, timeout: float) -> bool: ...
    def stop(self) -> None: ...


def executor_for(settings: Settings, parallelism: int | None = None) -> Executor:
    """The executor ``DAGKEEPER_EXECUTOR`` names (``local`` or ``celery``)."""
    parallelism = parallelism or settings.parallelism
    if settings.executor == "celery":
        from dagkeeper.executors.celery_executor import CeleryExecutor

        return CeleryExecutor(
            parallelism, settings.celery_broker_url, settings.celery_visibility_timeout
        )
    from dagkeeper.executors.local import LocalExecutor

    return LocalExecutor(parallelism, db_url=settings.db_url)

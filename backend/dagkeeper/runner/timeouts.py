"""Time limits for code the runner calls (a DAG file's import, a task's execute)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


class TaskTimeout(Exception):
    """Raised inside the task's code when its time is up."""


@contextmanager
def time_limit(seconds: float | None, message: str) -> Iterator[None]:
    """Raise :class:`TaskTimeout` in the main thread after ``seconds`` (None: no limit).

    A signal interrupts blocking calls (``time.sleep``, a subprocess wait) as
    well as Python code, which a watchdog thread could not do.
    """
    if not seconds:
        yield
        return

    def expire(_signum, _frame):
        raise TaskTimeout(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def call_with_limit(seconds: float | None, message: str, function: Callable[[], T]) -> T:
    with time_limit(seconds, message):
        return function()

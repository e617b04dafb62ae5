"""``BaseSensorOperator``: a task that waits until ``poke(context)`` says its condition holds.

As in the peer: ``mode="poke"`` keeps the worker slot and sleeps between
pokes; ``mode="reschedule"`` ends the try after each unsuccessful poke
(state ``up_for_reschedule``) and the scheduler queues the *same* try again
when the next poke is due. ``timeout`` counts from the first poke of the try,
across reschedules (the runner hands ``first_poke_at`` and ``poke_count``
back on ``context["ti"]``); when it passes the task fails without retrying,
or is skipped with ``soft_fail``. ``exponential_backoff`` stretches the
interval between pokes (the peer's formula, so the same DAG waits the same),
capped by ``max_wait``.
"""

from __future__ import annotations

import hashlib
import logging
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from dagkeeper.authoring.baseoperator import BaseOperator, _seconds
from dagkeeper.authoring.exceptions import (
    DagDefinitionError,
    SensorTimeout,
    TaskFailed,
    TaskRescheduled,
    TaskSkipped,
)

log = logging.getLogger("dagkeeper.task")

MODES = ("poke", "reschedule")


@dataclass
class PokeReturnValue:
    """What ``poke`` may return instead of a bool: done or not, and the task's XCom when done."""

    is_done: bool
    xcom_value: Any = None

    def __bool__(self) -> bool:
        return bool(self.is_done)


def next_poke_interval(
    poke_interval: float, exponential_backoff: bool, max_wait: float | None, timeout: float,
    elapsed: float, poke_count: int, salt: str,
) -> float:  # fmt: skip
    """Seconds until poke ``poke_count + 1``.

    With backoff, the peer's rule: at least ``poke_interval * 2**(poke_count - 2)``
    (and 1 s), plus a jitter below that, drawn from a hash of ``salt`` (the task
    and its first poke) so a reschedule computes the same value again; never
    beyond the time left before ``timeout`` nor ``max_wait``.
    """
    if not exponential_backoff:
        return poke_interval
    min_backoff = max(int(poke_interval * (2 ** (poke_count - 2))), 1)
    run_hash = int(hashlib.sha1(f"{salt}#{poke_count}".encode()).hexdigest(), 16)
    interval = float(min(min_backoff + run_hash % min_backoff, timeout - int(elapsed)))
    if max_wait is not None:
        interval = min(max_wait, interval)
    return max(0.0, interval)


class BaseSensorOperator(BaseOperator):
    """Subclass it and implement ``poke(context) -> bool | PokeReturnValue``."""

    ui_color = "#e6f1f2"

    def __init__(
        self,
        task_id: str,
        *,
        poke_interval: timedelta | float = 60,
        timeout: timedelta | float = 7 * 24 * 60 * 60,
        soft_fail: bool = False,
        mode: str = "poke",
        exponential_backoff: bool = False,
        max_wait: timedelta | float | None = None,
        silent_fail: bool = False,
        never_fail: bool = False,
        **kwargs: Any,
    ):
        super().__init__(task_id=task_id, **kwargs)
        self.poke_interval = _seconds("poke_interval", poke_interval, self.task_id) or 0.0
        self.timeout = _seconds("timeout", timeout, self.task_id) or 0.0
        self.max_wait = _seconds("max_wait", max_wait, self.task_id)
        for name, value in (("poke_interval", self.poke_interval), ("timeout", self.timeout)):
            if value < 0:
                raise DagDefinitionError(
                    f"{name} of sensor {self.task_id!r} must be >= 0, got {value:g}"
                )
        if mode not in MODES:
            raise DagDefinitionError(
                f"mode of sensor {self.task_id!r} must be one of {', '.join(MODES)}, got {mode!r}"
            )
        if soft_fail and never_fail:
            raise DagDefinitionError(
                f"sensor {self.task_id!r}: soft_fail and never_fail cannot both be set"
            )
        self.mode = mode
        self.soft_fail = bool(soft_fail)
        self.never_fail = bool(never_fail)
        self.silent_fail = bool(silent_fail)
        self.exponential_backoff = bool(exponential_backoff)

    @property
    def reschedule(self) -> bool:
        return self.mode == "reschedule"

    def poke(self, context: dict[str, Any]) -> bool | PokeReturnValue:
        raise NotImplementedError(f"{type(self).__name__} must implement poke(context)")

    def execute(self, context: dict[str, Any]) -> Any:
        ti = context["ti"]
        started_at = self._started_at(context)
        poke_count: int = getattr(ti, "poke_count", 0) or 0
        while True:
            poke_count += 1
            done, value = self._poke_once(context)
            if done:
                log.info("Success criteria met. Exiting.")
                return value
            elapsed = (datetime.now(UTC) - started_at).total_seconds()
            if elapsed > self.timeout:
                self.time_out(
                    f"Sensor has timed out; run duration of {elapsed:.3f} seconds exceeds "
                    f"the specified timeout of {self.timeout:g}."
                )
            interval = next_poke_interval(
                self.poke_interval, self.exponential_backoff, self.max_wait, self.timeout,
                elapsed, poke_count, f"{self.dag.dag_id}#{self.task_id}#{started_at.isoformat()}",
            )  # fmt: skip
            if self.reschedule:
                moment = datetime.now(UTC) + timedelta(seconds=interval)
                raise TaskRescheduled(moment, started_at, poke_count)
            log.info("Condition not met; poking again in %g s", interval)
            time.sleep(interval)

    def _started_at(self, context: dict[str, Any]) -> datetime:
        """When ``timeout`` started counting: the try's first poke (now, for the first)."""
        return getattr(context["ti"], "first_poke_at", None) or datetime.now(UTC)

    def timeout_at(self, context: dict[str, Any]) -> datetime:
        """When the try times out; a deferred sensor hands it to its trigger."""
        return self._started_at(context) + timedelta(seconds=self.timeout)

    def time_out(self, message: str) -> NoReturn:
        """End the try for a timeout: failed without retry, or skipped with ``soft_fail``."""
        if self.soft_fail or self.never_fail:
            raise TaskSkipped(f"{message} Skipping (soft_fail)")
        raise SensorTimeout(message)

    def _poke_once(self, context: dict[str, Any]) -> tuple[bool, Any]:
        """(done, XCom value); errors become what the peer makes of them (see the flags)."""
        try:
            result = self.poke(context)
        except (SensorTimeout, TaskFailed) as error:
            if self.soft_fail or self.never_fail:
                raise TaskSkipped(f"Skipping as soft_fail/never_fail is set: {error}") from error
            raise
        except TaskSkipped:
            raise
        except Exception as error:
            if self.silent_fail:
                log.error("Sensor poke failed:\n%s", traceback.format_exc())
                return False, None
            if self.never_fail:
                raise TaskSkipped(f"Skipping as never_fail is set: {error}") from error
            raise
        if isinstance(result, PokeReturnValue):
            return bool(result.is_done), result.xcom_value
        return bool(result), None

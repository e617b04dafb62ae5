"""The scheduler loop: short passes, each a few short transactions.

A pass runs immediately when something happened (a task process ended, the
database change token moved because the API or a runner wrote, a retry or a
scheduled run fell due) and at least every ``full_pass_interval`` otherwise;
between passes the loop polls the one-row change token every
``idle_interval``, and a pass never follows the last one sooner than that
one took. Nothing is kept between passes except immutable documents
(and when each try was last handed over), so a scheduler killed at any point
and restarted simply carries on: it hands over again every try still queued.
A try that stays queued unclaimed for ``queued_resend_after`` seconds is
handed over again too (its message may have been lost with a broker
restart); its runner claims it once, whatever number of copies arrive.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from sqlalchemy import select

from dagkeeper import db
from dagkeeper.beacon import Beacon
from dagkeeper.config import Settings, load_settings
from dagkeeper.executors import Executor, TaskKey, executor_for
from dagkeeper.models import DagRun, RunState, TaskInstance, TaskState, record_change, utcnow
from dagkeeper.models.change import current_token, prune_change_log
from dagkeeper.models.dag_counts import fold_all_counts
from dagkeeper.scheduler.assets import asset_runs_due, create_asset_triggered_runs
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.scheduler.heartbeats import (
    check_heartbeats,
    exits_to_handle,
    handle_exits,
    stale_tries_exist,
)
from dagkeeper.scheduler.runs import (
    complete_backfills,
    create_scheduled_runs,
    finished_backfills_exist,
    queued_runs_exist,
    scheduled_runs_due,
    start_queued_runs,
)
from dagkeeper.scheduler.slots import SlotLimits
from dagkeeper.scheduler.task_instances import apply_plan, changes_of, plan_task_instances

log = logging.getLogger(__name__)

PRUNE_INTERVAL = 60.0  # seconds between trims of the change log and folds of the list counts


class Scheduler:
    def __init__(
        self,
        executor: Executor | None = None,
        settings: Settings | None = None,
        *,
        idle_interval: float = 0.05,
        full_pass_interval: float = 1.0,
        min_pass_interval: float = 0.01,
    ):
        self.settings = settings or load_settings()
        self.executor = executor or executor_for(self.settings)
        self.limits = SlotLimits(self.executor.parallelism, self.settings.queue_slots)
        self.documents = DocumentCache()
        self.idle_interval = idle_interval
        self.full_pass_interval = full_pass_interval
        self.min_pass_interval = min_pass_interval
        self.heartbeat_check_interval = max(0.5, min(5.0, self.settings.heartbeat_timeout / 4))
        self._exhausted: set[tuple[str, int]] = set()
        self._last_heartbeat_check = 0.0
        self._last_prune = 0.0
        self._last_resend = time.monotonic()
        self._handed_over: dict[TaskKey, float] = {}  # try -> when it was last handed over
        self._next_deadline: datetime | None = None

    def run(self, stop: threading.Event | None = None) -> None:
        """Loop until ``stop`` is set; the executor is started and stopped here."""
        stop = stop or threading.Event()
        beacon = Beacon("scheduler")
        self.executor.start()
        try:
            self.recover()
            while not stop.is_set():
                beacon.maybe_beat()
                started = time.monotonic()
                token = self._token()
                self.run_once()
                self._wait(stop, token, started)
        finally:
            self.executor.stop()

    def recover(self) -> None:
        """Hand tries left queued by a previous scheduler to the executor again.

        Their runners never started (a started runner moves its try to
        running) or are starting right now: a runner only claims a try that is
        still queued at its try number, so a second dispatch is harmless.
        """
        keys = self._queued_keys(None)
        self._hand_over(keys)
        if keys:
            log.info("re-queued %d task instances left queued by a previous scheduler", len(keys))

    def _queued_keys(self, older_than: datetime | None) -> list[TaskKey]:
        """The tries queued (before ``older_than``) and not yet claimed by a runner."""
        query = (
            select(
                TaskInstance.id,
                TaskInstance.try_number,
                TaskInstance.dag_id,
                DagRun.run_id,
                TaskInstance.task_id,
                TaskInstance.queue,
                TaskInstance.map_index,
            )
            .join(DagRun, DagRun.id == TaskInstance.dag_run_id)
            .where(TaskInstance.state == TaskState.QUEUED, DagRun.state == RunState.RUNNING)
            .order_by(TaskInstance.queued_at, TaskInstance.id)
        )
        if older_than is not None:
            query = query.where(TaskInstance.queued_at < older_than)
        with db.read_session() as session:
            return [TaskKey(*row) for row in session.execute(query)]

    def _hand_over(self, keys: list[TaskKey]) -> None:
        now = time.monotonic()
        for key in keys:
            self.executor.queue(key)
            self._handed_over[key] = now

    def _resend_unclaimed(self, now: datetime) -> None:
        """Send again what stayed queued too long: its message may be lost (a broker restart)."""
        after = self.settings.queued_resend_after
        if time.monotonic() - self._last_resend < min(after / 2, 5.0):
            return
        self._last_resend = time.monotonic()
        horizon = time.monotonic() - after
        self._handed_over = {k: t for k, t in self._handed_over.items() if t > horizon}
        keys = self._queued_keys(now - timedelta(seconds=after))
        unclaimed = [key for key in keys if key not in self._handed_over]
        if unclaimed:
            log.warning("handing over again %d tries queued for over %g s", len(unclaimed), after)
            self._hand_over(unclaimed)

    def run_once(self) -> None:
        """One pass: process exits, create and start runs, schedule and queue task instances.

        Each step looks with a plain read first and opens a write transaction
        only when it has something to write (see :mod:`.task_instances`).
        """
        now = utcnow()
        exits = self.executor.collect_exits()
        if exits:
            with db.read_session() as session:
                exits = exits_to_handle(session, exits)
        if exits:
            self._write(handle_exits, exits, now)
        with db.read_session() as session:
            runs_due = scheduled_runs_due(session, now, self._exhausted)
            asset_runs = asset_runs_due(session, self.documents)
            runs_queued = queued_runs_exist(session)
        if runs_due:
            self._write(create_scheduled_runs, now, self._exhausted)
        if asset_runs:
            self._write(create_asset_triggered_runs, now)
        if runs_queued:
            self._write(start_queued_runs, now)
        with db.read_session() as session:
            plan = plan_task_instances(session, self.documents, now, self.limits)
        self._next_deadline = plan.next_deadline
        if not plan.empty:
            with db.transaction() as session:
                queued = apply_plan(session, plan, now)
                record_change(session, changes_of(plan))
            self._hand_over(queued)
        with db.read_session() as session:
            backfills_done = finished_backfills_exist(session)
        if backfills_done:
            self._write(complete_backfills, now)
        self._resend_unclaimed(now)
        if time.monotonic() - self._last_heartbeat_check >= self.heartbeat_check_interval:
            self._last_heartbeat_check = time.monotonic()
            timeout = self.settings.heartbeat_timeout
            with db.read_session() as session:
                stale = stale_tries_exist(session, timeout, now)
            if stale:
                self._write(check_heartbeats, timeout, now)
        if time.monotonic() - self._last_prune >= PRUNE_INTERVAL:
            self._last_prune = time.monotonic()
            with db.transaction() as session:
                prune_change_log(session)
            fold_all_counts(db.transaction)

    def _write(self, step, *args) -> None:
        """Run one step in its own transaction, recording a change if it made any."""
        with db.transaction() as session:
            changes = step(session, self.documents, *args)
            if changes:
                record_change(session, changes)

    def _token(self) -> int:
        with db.read_session() as session:
            return current_token(session)

    def _wait(self, stop: threading.Event, token: int, started: float) -> None:
        """Sleep until something may need a pass (see the module docstring).

        Between two passes it sleeps at least as long as the last pass took:
        while tries keep ending, the scheduler takes at most about half a
        core from the runners, and each pass handles every try that ended
        meanwhile rather than one pass per try.
        """
        took = time.monotonic() - started
        stop.wait(max(self.min_pass_interval - took, took))
        deadline = started + self.full_pass_interval
        while not stop.is_set() and time.monotonic() < deadline:
            if self.executor.exits_pending():
                return
            if self._next_deadline is not None and utcnow() >= self._next_deadline:
                return
            if self._token() != token:
                return
            self.executor.wait(self.idle_interval)

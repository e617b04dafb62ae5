"""The triggerer loop: claim deferred tasks' triggers, wait on all of them, resume on fire.

Holding a trigger is a lease in its row (``triggerer_id`` + ``lease_until``),
renewed for all held triggers in one update every ``lease / 3`` seconds. A
triggerer that dies stops renewing; once its leases run out another one
claims the triggers (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several
triggerers never claim the same row). Firing is one transaction that checks
the lease is still ours, resumes the waiting task (same try, state
scheduled) and deletes the trigger: a trigger fires at most once, and a
restart loses nothing, since every wait is rebuilt from its row.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from dagkeeper import db
from dagkeeper.beacon import Beacon
from dagkeeper.models import ChangeKind, TaskInstance, TaskState, Trigger, record_change, utcnow
from dagkeeper.serialization.triggers import TriggerError, TriggerSpec, decode
from dagkeeper.triggerer.waits import wait
from dagkeeper.try_outcomes import append_log, finish_try, resume_try

log = logging.getLogger(__name__)


def lease_seconds() -> float:
    return float(os.environ.get("DAGKEEPER_TRIGGERER_LEASE", "30"))


class Triggerer:
    def __init__(self, capacity: int = 1000, lease: float | None = None):
        self.capacity = capacity
        self.lease = lease_seconds() if lease is None else lease
        now = utcnow()
        self.id = f"{socket.gethostname()}:{os.getpid()}:{now.isoformat()}"
        self.waits: dict[int, asyncio.Task[None]] = {}

    def run(self, stop: threading.Event | None = None) -> None:
        asyncio.run(self.main(stop or threading.Event()))

    async def main(self, stop: threading.Event) -> None:
        beacon = Beacon("triggerer")
        try:
            while not stop.is_set():
                beacon.maybe_beat()
                self.renew_and_claim()
                await asyncio.sleep(min(1.0, self.lease / 3))
        finally:
            for task in self.waits.values():
                task.cancel()
            await asyncio.gather(*self.waits.values(), return_exceptions=True)
            self.release()

    def renew_and_claim(self) -> None:
        """Renew our leases, drop waits whose trigger is gone, claim free triggers up to capacity.

        A trigger we hold that no deferred task waits on any more (the task was
        cleared, marked, or its run ended) is deleted, and its wait dropped.
        """
        now = utcnow()
        until = now + timedelta(seconds=self.lease)
        waited_on = exists().where(
            TaskInstance.trigger_id == Trigger.id, TaskInstance.state == TaskState.DEFERRED
        )
        with db.transaction() as session:
            session.execute(delete(Trigger).where(Trigger.triggerer_id == self.id, ~waited_on))
            session.execute(
                update(Trigger).where(Trigger.triggerer_id == self.id).values(lease_until=until)
            )
            held = set(session.scalars(select(Trigger.id).where(Trigger.triggerer_id == self.id)))
            room = self.capacity - len(held)
            claimed: list[tuple[int, str, str]] = []
            if room > 0:
                rows = session.execute(
                    select(Trigger.id, Trigger.kind, Trigger.args)
                    .where(or_(Trigger.triggerer_id.is_(None), Trigger.lease_until < now))
                    .order_by(Trigger.id)
                    .limit(room)
                    .with_for_update(skip_locked=True)
                ).all()
                if rows:
                    session.execute(
                        update(Trigger)
                        .where(Trigger.id.in_([r.id for r in rows]))
                        .values(triggerer_id=self.id, lease_until=until)
                    )
                    claimed = [(r.id, r.kind, r.args) for r in rows]
        for trigger_id in set(self.waits) - held - {c[0] for c in claimed}:
            self.waits.pop(trigger_id).cancel()  # taken over or deleted: no longer ours
        for trigger_id, kind, args in claimed:
            if trigger_id not in self.waits:
                self.start_wait(trigger_id, kind, args)
        if claimed:
            log.info("claimed %d triggers; holding %d", len(claimed), len(self.waits))

    def start_wait(self, trigger_id: int, kind: str, args: str) -> None:
        try:
            spec = decode(kind, args)
        except TriggerError as error:
            self.fail(trigger_id, str(error))
            return
        self.waits[trigger_id] = asyncio.create_task(self._wait_and_fire(trigger_id, spec))

    async def _wait_and_fire(self, trigger_id: int, spec: TriggerSpec) -> None:
        try:
            event = await wait(spec)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.fail(trigger_id, f"the {spec.kind} trigger failed: {error!r}")
        else:
            self.fire(trigger_id, event)
        finally:
            self.waits.pop(trigger_id, None)

    def _end(self, trigger_id: int, act: Callable[[Session, TaskInstance], None]) -> bool:
        """In one transaction: if the trigger is still ours, ``act`` on its waiting tasks, delete it."""
        with db.transaction() as session:
            mine = session.scalar(
                select(Trigger.id)
                .where(Trigger.id == trigger_id, Trigger.triggerer_id == self.id)
                .with_for_update()
            )
            if mine is None:
                return False
            tis = session.scalars(
                select(TaskInstance)
                .where(
                    TaskInstance.trigger_id == trigger_id, TaskInstance.state == TaskState.DEFERRED
                )
                .with_for_update()
            ).all()
            for ti in tis:
                act(session, ti)
            session.execute(delete(Trigger).where(Trigger.id == trigger_id))
            record_change(session, sorted({(ti.dag_id, ChangeKind.RUN) for ti in tis}))
            return True

    def fire(self, trigger_id: int, event: dict[str, Any]) -> None:
        def resume(session: Session, ti: TaskInstance) -> None:
            resume_try(ti, json.dumps({"event": event}))
            append_log(session, ti.id, ti.try_number,
                       f"[dagkeeper triggerer] trigger {trigger_id} fired: {json.dumps(event)}")  # fmt: skip

        if self._end(trigger_id, resume):
            log.info("trigger %d fired", trigger_id)

    def fail(self, trigger_id: int, reason: str) -> None:
        def failed(session: Session, ti: TaskInstance) -> None:
            finish_try(ti, TaskState.FAILED, utcnow())
            ti.trigger_id = None
            append_log(session, ti.id, ti.try_number, f"[dagkeeper triggerer] {reason}")

        if self._end(trigger_id, failed):
            log.error("trigger %d: %s", trigger_id, reason)

    def release(self) -> None:
        """On a clean stop, let another triggerer claim our triggers at once."""
        try:
            with db.transaction() as session:
                session.execute(
                    update(Trigger)
                    .where(Trigger.triggerer_id == self.id)
                    .values(triggerer_id=None, lease_until=None)
                )
        except Exception:
            log.exception("could not release the triggers held")

"""A long-running process says "still here" in the database every few seconds.

The processor and the scheduler call :meth:`Beacon.maybe_beat` from their
loops; the home page reads the rows (:mod:`dagkeeper.models.component`) and
calls a process down once it missed ``DOWN_AFTER_BEATS`` beats. A beat that
fails (database briefly unreachable) is logged and retried on the next call:
it must never stop the loop that sends it.
"""

from __future__ import annotations

import logging
import os
import socket
import time

from sqlalchemy.exc import SQLAlchemyError

from dagkeeper import db
from dagkeeper.models import utcnow
from dagkeeper.models.component import beat

log = logging.getLogger(__name__)

DOWN_AFTER_BEATS = 3


def heartbeat_interval() -> float:
    """Seconds between beats; every process (and the web server judging them) reads the same."""
    return float(os.environ.get("DAGKEEPER_COMPONENT_HEARTBEAT_INTERVAL", "5"))


class Beacon:
    def __init__(self, kind: str, interval: float | None = None):
        self.kind = kind
        self.interval = heartbeat_interval() if interval is None else interval
        self.hostname = socket.gethostname()
        self.pid = os.getpid()
        self.started_at = utcnow()
        self._next = 0.0

    def maybe_beat(self) -> None:
        """Beat if one is due; cheap to call on every loop iteration."""
        if time.monotonic() < self._next:
            return
        self._next = time.monotonic() + self.interval
        try:
            with db.transaction() as session:
                beat(session, self.kind, self.hostname, self.pid, self.started_at, utcnow())
        except SQLAlchemyError as error:
            log.warning("%s heartbeat not written: %s", self.kind, error)

"""A process's heartbeat row: inserted once, refreshed in place, long-silent ones forgotten."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dagkeeper import db as database
from dagkeeper.beacon import Beacon
from dagkeeper.models import utcnow
from dagkeeper.models.component import ComponentHeartbeat, beat


def rows() -> list[tuple[str, int]]:
    with database.read_session() as session:
        found = session.scalars(select(ComponentHeartbeat).order_by(ComponentHeartbeat.id))
        return [(r.kind, r.pid) for r in found]


def test_beats_refresh_one_row_per_process_and_forget_long_silent_ones(db):
    beacon = Beacon("scheduler", interval=0)
    beacon.maybe_beat()
    with database.read_session() as session:
        first = session.scalar(select(ComponentHeartbeat.last_heartbeat))
    beacon.maybe_beat()
    with database.read_session() as session:
        assert session.scalar(select(ComponentHeartbeat.last_heartbeat)) > first
    assert rows() == [("scheduler", beacon.pid)]
    long_ago = utcnow() - timedelta(days=2)
    with database.transaction() as session:
        beat(session, "scheduler", "old-host", 1, long_ago, long_ago)
    assert len(rows()) == 2
    Beacon("processor", interval=0).maybe_beat()  # a new process's first beat sweeps old rows
    assert rows() == [("scheduler", beacon.pid), ("processor", beacon.pid)]


def test_a_beacon_waits_its_interval_between_beats(db):
    beacon = Beacon("processor", interval=3600)
    beacon.maybe_beat()
    with database.read_session() as session:
        first = session.scalar(select(ComponentHeartbeat.last_heartbeat))
    beacon.maybe_beat()
    with database.read_session() as session:
        assert session.scalar(select(ComponentHeartbeat.last_heartbeat)) == first

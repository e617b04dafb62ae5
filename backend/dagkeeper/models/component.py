"""Which long-running processes are alive, and what users asked the processor to do next.

Each processor and scheduler process writes one ``component_heartbeat`` row
(kind, host, pid) and refreshes it every few seconds, so any web worker can
tell from the database alone whether they are up. ``parse_request`` rows are
"reparse this file now" requests from the UI: the web server never parses, it
only inserts a row the processor picks up and deletes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Integer, String, UniqueConstraint, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.models.base import Base

FORGET_AFTER = timedelta(days=1)  # a process silent this long is dropped from the list


class ComponentHeartbeat(Base):
    """One running (or lately running) process of a component kind."""

    __tablename__ = "component_heartbeat"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))  # processor, scheduler, worker, triggerer ...
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime]
    last_heartbeat: Mapped[datetime]

    __table_args__ = (UniqueConstraint("kind", "hostname", "pid", "started_at"),)


def beat(
    session: Session, kind: str, hostname: str, pid: int, started_at: datetime, now: datetime
) -> None:
    """Refresh this process's row (inserting it on the first beat); forget long-silent ones."""
    key = (
        ComponentHeartbeat.kind == kind,
        ComponentHeartbeat.hostname == hostname,
        ComponentHeartbeat.pid == pid,
        ComponentHeartbeat.started_at == started_at,
    )
    updated = session.execute(update(ComponentHeartbeat).where(*key).values(last_heartbeat=now))
    if updated.rowcount == 0:
        session.add(
            ComponentHeartbeat(
                kind=kind, hostname=hostname, pid=pid, started_at=started_at, last_heartbeat=now
            )
        )
        session.execute(
            delete(ComponentHeartbeat).where(ComponentHeartbeat.last_heartbeat < now - FORGET_AFTER)
        )


def components(session: Session) -> list[ComponentHeartbeat]:
    return list(
        session.scalars(
            select(ComponentHeartbeat).order_by(
                ComponentHeartbeat.kind, ComponentHeartbeat.hostname, ComponentHeartbeat.started_at
            )
        )
    )


class ParseRequest(Base):
    """A user asked for this file to be parsed again now, even if its bytes did not change."""

    __tablename__ = "parse_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    fileloc: Mapped[str] = mapped_column(String(1000), unique=True)  # relative to the DAG folder
    requested_at: Mapped[datetime]


def take_parse_requests(session: Session) -> list[str]:
    """The files asked for, removing the requests (the caller parses them in this pass)."""
    filelocs = list(session.scalars(select(ParseRequest.fileloc)))
    if filelocs:
        session.execute(delete(ParseRequest).where(ParseRequest.fileloc.in_(filelocs)))
    return filelocs

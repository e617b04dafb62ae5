"""The audit trail: one row per state-changing request, written in the change's transaction.

A change that rolls back takes its success event with it, so the log never
claims something happened that did not. Refusals (bad password, missing role)
are written in their own transaction with outcome ``failed`` or ``denied``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.models.base import Base, utcnow


class Outcome:
    SUCCESS = "success"
    FAILED = "failed"  # e.g. a wrong password
    DENIED = "denied"  # authenticated but not allowed


class EventLog(Base):
    __tablename__ = "event_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    username: Mapped[str | None] = mapped_column(String(100), index=True)
    event: Mapped[str] = mapped_column(String(50), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    dag_id: Mapped[str | None] = mapped_column(String(250), index=True)
    target: Mapped[str | None] = mapped_column(String(500))
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)  # JSON: what was asked for


def record_event(
    session: Session,
    event: str,
    *,
    username: str | None,
    address: str | None,
    outcome: str = Outcome.SUCCESS,
    dag_id: str | None = None,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    session.add(
        EventLog(
            at=utcnow(),
            username=username,
            event=event,
            outcome=outcome,
            dag_id=dag_id,
            target=target,
            address=address,
            detail=detail,
        )
    )

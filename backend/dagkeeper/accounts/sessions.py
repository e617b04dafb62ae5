"""Browser sessions: created at login, ended at logout, by role change or user deletion."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from dagkeeper.accounts.keys import keyed_hash, new_secret
from dagkeeper.models import UserSession

COOKIE_NAME = "dagkeeper_session"


def start_session(
    session: Session, user_id: int, address: str | None, now: datetime, max_age: float
) -> str:
    """Store a new session and return the cookie value (never stored itself)."""
    # A login is a good moment to drop this user's sessions that expired long ago.
    session.execute(
        delete(UserSession).where(
            UserSession.user_id == user_id,
            UserSession.created_at < now - timedelta(seconds=max_age),
        )
    )
    cookie = new_secret()
    session.add(
        UserSession(
            id_hash=keyed_hash(cookie),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            address=address,
        )
    )
    return cookie


def end_session(session: Session, id_hash: str) -> None:
    session.execute(delete(UserSession).where(UserSession.id_hash == id_hash))


def end_sessions_of(session: Session, user_id: int) -> None:
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))

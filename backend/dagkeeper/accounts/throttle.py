"""Failed-login limits per username and per client address, counted in the database.

Each attempt is committed *before* it is counted and before the password is
checked, so four workers (or four hosts) share one budget: a burst spread over
every worker is refused as surely as one against a single worker. A successful
login removes the user's failures; a failed one stays counted for the window.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from dagkeeper import db
from dagkeeper.config import Settings
from dagkeeper.models import LoginAttempt, utcnow


def begin_attempt(username: str, address: str, settings: Settings) -> int | None:
    """Record an attempt; its id, or None when this user or address is over the limit."""
    now = utcnow()
    since = now - timedelta(seconds=settings.login_failure_window)
    with db.transaction() as s:
        s.execute(delete(LoginAttempt).where(LoginAttempt.at < since))
        attempt = LoginAttempt(username=username, address=address, at=now)
        s.add(attempt)
        s.flush()
        count = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at >= since)
        by_user = s.scalar(count.where(LoginAttempt.username == username))
        by_address = s.scalar(count.where(LoginAttempt.address == address))
    if by_user > settings.login_max_failures_user:
        return None
    if by_address > settings.login_max_failures_address:
        return None
    return attempt.id


def succeeded(session, username: str) -> None:
    """Forget the user's failures (inside the login's own transaction)."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))

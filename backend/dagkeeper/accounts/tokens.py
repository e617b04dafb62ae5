"""API tokens: issued to a user, shown once, stored as a keyed hash, revoked at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dagkeeper.accounts.keys import keyed_hash, new_secret
from dagkeeper.models import ApiToken, User, utcnow

TOKEN_PREFIX = "dkp_"


def issue_token(
    session: Session, user_id: int, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Store a new token; returns the row and the token text (shown to the user once).

    The user's expired tokens go at the same time, so scripts that log in on
    every run do not pile up rows.
    """
    now = utcnow()
    session.execute(delete(ApiToken).where(ApiToken.user_id == user_id, ApiToken.expires_at <= now))
    text = new_secret(TOKEN_PREFIX)
    row = ApiToken(
        user_id=user_id,
        name=name,
        token_hash=keyed_hash(text),
        prefix=text[:12],
        created_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row, text


def tokens_of(session: Session, user_id: int | None) -> list[tuple[ApiToken, str]]:
    """Tokens with their owner's name: one user's, or everyone's (None)."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return [(t, u) for t, u in session.execute(query.order_by(ApiToken.id))]


def revoke_token(session: Session, token_id: int) -> bool:
    return bool(session.execute(delete(ApiToken).where(ApiToken.id == token_id)).rowcount)

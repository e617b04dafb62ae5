"""Who is asking: resolve a session cookie or a bearer token to a user, role and teams.

One indexed read per request (the credential joined with its user and the
user's teams), so authentication stays well under a millisecond. The
last-seen time of a session or token is written at most once a minute, so
most requests write nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from dagkeeper import db
from dagkeeper.accounts.keys import keyed_hash
from dagkeeper.config import Settings
from dagkeeper.models import ApiToken, Role, User, UserSession, UserTeam

TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Identity:
    user_id: int | None
    username: str
    role: str
    teams: tuple[str, ...] = ()
    via: str = "session"  # session | token | open (auth off)
    credential: str = ""  # the session's id hash or the token's id

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def may(self, minimum_role: str) -> bool:
        return Role.at_least(self.role, minimum_role)

    @property
    def principals(self) -> tuple[str, ...] | None:
        """What per-DAG grants may name for this caller; None: every DAG (admins)."""
        return None if self.is_admin else (*Role.up_to(self.role), *self.teams)

    @property
    def permission_key(self) -> str:
        """Equal for callers who may see exactly the same things (cache and ETag key)."""
        return "admin" if self.is_admin else f"{self.role}:{','.join(self.teams)}"


OPEN = Identity(None, "anonymous", Role.ADMIN, via="open")  # DAGKEEPER_AUTH=off


def teams_of(session: Session, user_id: int) -> tuple[str, ...]:
    return tuple(
        session.scalars(select(UserTeam.team).where(UserTeam.user_id == user_id).order_by("team"))
    )


def _teams_column():
    """The user's teams as one comma-joined string, read with the credential (team names hold
    no commas: see accounts.users.NAME)."""
    return (
        select(func.aggregate_strings(UserTeam.team, ","))
        .where(UserTeam.user_id == User.id)
        .correlate(User)
        .scalar_subquery()
        .label("teams")
    )


def _split(teams: str | None) -> tuple[str, ...]:
    return tuple(sorted(teams.split(","))) if teams else ()


# Built once: on the hot path only the bound hash changes (building a statement costs more
# than running it).
_SESSION_QUERY = (
    select(UserSession.created_at, UserSession.last_seen_at, User.id, User.username, User.role,
           _teams_column())
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.id_hash == bindparam("id_hash"))
)  # fmt: skip
_TOKEN_QUERY = (
    select(ApiToken.id, ApiToken.expires_at, ApiToken.last_used_at, User.id.label("user_id"),
           User.username, User.role, _teams_column())
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)  # fmt: skip


def from_session_cookie(
    session: Session, cookie: str, now: datetime, settings: Settings
) -> Identity | None:
    id_hash = keyed_hash(cookie)
    row = session.connection().execute(_SESSION_QUERY, {"id_hash": id_hash}).first()
    if row is None:
        return None
    idle = (now - row.last_seen_at).total_seconds()
    if idle > settings.session_idle_timeout or (
        (now - row.created_at).total_seconds() > settings.session_max_age
    ):
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        _touch(update(UserSession).where(UserSession.id_hash == id_hash), last_seen_at=now)
    return Identity(row.id, row.username, row.role, _split(row.teams), "session", id_hash)


def from_bearer_token(session: Session, token: str, now: datetime) -> Identity | None:
    row = session.connection().execute(_TOKEN_QUERY, {"token_hash": keyed_hash(token)}).first()
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        _touch(update(ApiToken).where(ApiToken.id == row.id), last_used_at=now)
    return Identity(row.user_id, row.username, row.role, _split(row.teams), "token", str(row.id))


def _touch(statement, **values) -> None:
    """Record use in its own short transaction (the request's reads stay a read)."""
    with db.transaction() as s:
        s.execute(statement.values(**values))

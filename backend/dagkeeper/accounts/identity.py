"""Who is asking: resolve a session cookie or a bearer token to a user, role and teams.

One indexed read (the credential joined with its user and the user's teams)
the first time a worker meets a credential under a change token; after that
the row comes from this process's memory (:class:`_CredentialRows`) until the
token moves. Every write that changes what a credential resolves to advances
the token through database triggers (migration 0021a), so a revoked token, an
ended session or a lowered role takes effect on the next request in every
worker. The last-seen time of a session or token is written at most once a
minute, so most requests write nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Row, Select, bindparam, func, select, update
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
    .where(UserSession.id_hash == bindparam("credential_hash"))
)  # fmt: skip
_TOKEN_QUERY = (
    select(ApiToken.id, ApiToken.expires_at, ApiToken.last_used_at, User.id.label("user_id"),
           User.username, User.role, _teams_column())
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("credential_hash"))
)  # fmt: skip


class _CredentialRows:
    """The credential rows this process read, each under the change token read before it.

    A row is reused only by a request that read the same token first, so it is
    never older than the newest account change that request can see. Keys
    carry the token (not one shared "current" token), so a thread still
    holding an older token can never file its row under a newer one.
    """

    LIMIT = 4096  # tokens advance all the time on a busy installation: old keys are dropped

    def __init__(self) -> None:
        self._rows: dict[tuple[int, Select, str], Row] = {}

    def read(
        self, connection: Connection, query: Select, credential_hash: str, token: int
    ) -> Row | None:
        key = (
            token,
            query,
            credential_hash,
        )  # the query: a token's value sent as a cookie is no session
        row = self._rows.get(key)
        if row is None:
            row = connection.execute(query, {"credential_hash": credential_hash}).first()
            if row is not None:
                if len(self._rows) >= self.LIMIT:
                    self._rows.clear()
                self._rows[key] = row
        return row

    def forget(self, query: Select, credential_hash: str, token: int) -> None:
        """Drop a row whose last-use stamp was just written, so the next read sees it."""
        self._rows.pop((token, query, credential_hash), None)


_rows = _CredentialRows()


def from_session_cookie(
    connection: Connection, cookie: str, now: datetime, settings: Settings, change_token: int
) -> Identity | None:
    """The session's user, or None; ``change_token`` was read on ``connection`` just before."""
    id_hash = keyed_hash(cookie)
    row = _rows.read(connection, _SESSION_QUERY, id_hash, change_token)
    if row is None:
        return None
    idle = (now - row.last_seen_at).total_seconds()
    if idle > settings.session_idle_timeout or (
        (now - row.created_at).total_seconds() > settings.session_max_age
    ):
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        _touch(update(UserSession).where(UserSession.id_hash == id_hash), last_seen_at=now)
        _rows.forget(_SESSION_QUERY, id_hash, change_token)
    return Identity(row.id, row.username, row.role, _split(row.teams), "session", id_hash)


def from_bearer_token(
    connection: Connection, token: str, now: datetime, change_token: int
) -> Identity | None:
    """The token's user, or None; ``change_token`` was read on ``connection`` just before."""
    token_hash = keyed_hash(token)
    row = _rows.read(connection, _TOKEN_QUERY, token_hash, change_token)
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        _touch(update(ApiToken).where(ApiToken.id == row.id), last_used_at=now)
        _rows.forget(_TOKEN_QUERY, token_hash, change_token)
    return Identity(row.user_id, row.username, row.role, _split(row.teams), "token", str(row.id))


def _touch(statement, **values) -> None:
    """Record use in its own short transaction (the request's reads stay a read)."""
    with db.transaction() as s:
        s.execute(statement.values(**values))

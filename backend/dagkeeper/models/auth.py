"""Who may log in: users with a role, team membership, browser sessions, API tokens.

Identity lives in these rows and nowhere else (DESIGN.md invariant 8): every
request looks its session or token up by hash, so a logout, a revoked token, a
role change or a deleted user is seen by every worker on every host at once.
Session ids and tokens are stored only as keyed hashes; passwords only as
argon2 hashes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dagkeeper.models.base import Base, utcnow


class Role:
    """Each role may do everything the roles before it may."""

    VIEWER = "viewer"  # read what it may see
    USER = "user"  # + trigger, clear, mark, pause, notes
    OP = "op"  # + operational settings (variables, connections, pools)
    ADMIN = "admin"  # + users, roles, tokens of others, the audit log
    ORDER = (VIEWER, USER, OP, ADMIN)

    @classmethod
    def at_least(cls, role: str, minimum: str) -> bool:
        return cls.ORDER.index(role) >= cls.ORDER.index(minimum)

    @classmethod
    def up_to(cls, role: str) -> tuple[str, ...]:
        """The roles ``role`` includes (a grant to ``viewer`` reaches every role)."""
        return cls.ORDER[: cls.ORDER.index(role) + 1]


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    # None: no password login (a user that only uses tokens)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]


class UserTeam(Base):
    """A user's membership of a team; a team exists while it has members."""

    __tablename__ = "user_team"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    team: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class UserSession(Base):
    """A browser login: the cookie holds a random id, this row only its hash."""

    __tablename__ = "user_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)  # written at most once a minute
    address: Mapped[str | None] = mapped_column(String(64))


class ApiToken(Base):
    """A bearer token: personal (named, revocable) or issued by ``POST /auth/token``."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists so users can tell them apart
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]  # written at most once a minute


class LoginAttempt(Base):
    """A failed (or still running) login; counted across every worker for throttling."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Secret(Base):
    """Keys every worker must share (DESIGN.md invariant 6), created once by ``db migrate``."""

    __tablename__ = "secret"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))

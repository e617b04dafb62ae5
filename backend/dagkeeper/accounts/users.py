"""Users: create, list, change role or teams, reset the password, delete.

A role change, a team change, a new password or a deletion ends the user's
sessions in the same transaction, so what the user may do changes on the
next request everywhere.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dagkeeper.accounts.passwords import hash_password, password_problem
from dagkeeper.accounts.sessions import end_sessions_of
from dagkeeper.models import Role, User, UserTeam, utcnow

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$")


class AccountError(ValueError):
    """A rejected account change; ``field`` names what was wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def check_username(username: str) -> str:
    if not NAME.match(username):
        raise AccountError("username", "1-100 letters, digits, _ . @ - (starting alphanumeric)")
    return username


def check_role(role: str) -> str:
    if role not in Role.ORDER:
        raise AccountError("role", f"one of {', '.join(Role.ORDER)}")
    return role


def check_teams(teams: list[str]) -> list[str]:
    for team in teams:
        if not NAME.match(team) or team in Role.ORDER:
            raise AccountError("teams", f"{team!r} is not a team name (nor may it be a role)")
    return sorted(set(teams))


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def create_user(
    session: Session, username: str, role: str, password: str | None, teams: list[str] = ()
) -> User:
    check_username(username)
    check_role(role)
    teams = check_teams(list(teams))
    if password is not None and (problem := password_problem(password)):
        raise AccountError("password", problem)
    if find_user(session, username) is not None:
        raise AccountError("username", f"user {username!r} already exists")
    user = User(
        username=username,
        role=role,
        password_hash=hash_password(password) if password is not None else None,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    session.add_all(UserTeam(user_id=user.id, team=t) for t in teams)
    return user


def update_user(
    session: Session,
    user: User,
    *,
    role: str | None = None,
    teams: list[str] | None = None,
    password: str | None = None,
) -> None:
    if role is not None:
        user.role = check_role(role)
    if teams is not None:
        wanted = check_teams(teams)
        session.execute(delete(UserTeam).where(UserTeam.user_id == user.id))
        session.add_all(UserTeam(user_id=user.id, team=t) for t in wanted)
    if password is not None:
        if problem := password_problem(password):
            raise AccountError("password", problem)
        user.password_hash = hash_password(password)
    end_sessions_of(session, user.id)


def delete_user(session: Session, user: User) -> None:
    end_sessions_of(session, user.id)
    session.delete(user)


def team_map(session: Session, user_ids: list[int]) -> dict[int, list[str]]:
    teams: dict[int, list[str]] = {i: [] for i in user_ids}
    rows = session.execute(
        select(UserTeam.user_id, UserTeam.team)
        .where(UserTeam.user_id.in_(user_ids))
        .order_by(UserTeam.team)
    )
    for user_id, team in rows:
        teams[user_id].append(team)
    return teams


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def create_first_admin(session: Session) -> str | None:
    """On a database with no user, create ``admin`` with a generated password and return it."""
    if session.scalar(select(User.id).limit(1)) is not None:
        return None
    password = secrets.token_urlsafe(12)
    create_user(session, "admin", Role.ADMIN, password)
    return password

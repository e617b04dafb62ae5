"""Connections: how tasks reach outside systems; password and extra are encrypted at rest."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.masking import looks_secret
from dagkeeper.models.base import Base, utcnow
from dagkeeper.models.encrypted import EncryptedText
from dagkeeper.models.variable import Variable


class Connection(Base):
    __tablename__ = "connection"

    id: Mapped[int] = mapped_column(primary_key=True)
    conn_id: Mapped[str] = mapped_column(String(250), unique=True)
    conn_type: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(500))
    schema: Mapped[str | None] = mapped_column(String(500))
    login: Mapped[str | None] = mapped_column(Text)
    password: Mapped[str | None] = mapped_column(EncryptedText)
    port: Mapped[int | None] = mapped_column(Integer)
    extra: Mapped[str | None] = mapped_column(EncryptedText)  # a JSON object
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def stored_secret_values(session: Session) -> set[str]:
    """Every stored secret: connection passwords, secret-looking extra fields, and values of
    variables with secret-looking keys, so what a task printed or returned can be masked."""
    secrets: set[str] = set()
    for password, extra in session.execute(select(Connection.password, Connection.extra)):
        secrets.add(password or "")
        try:
            fields = json.loads(extra) if extra else {}
        except ValueError:
            fields = {}
        if isinstance(fields, dict):
            secrets |= {str(v) for k, v in fields.items() if looks_secret(k) and v}
    for key, value in session.execute(select(Variable.key, Variable.value)):
        if looks_secret(key):
            secrets.add(value)
    secrets.discard("")
    return secrets

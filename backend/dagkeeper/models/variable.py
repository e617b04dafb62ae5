"""Variables: named values DAG files and templates read, stored encrypted at rest.

Also which variables each DAG file read while it was parsed, replaced on every
parse of the file, so users see which files a variable change affects.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import String, Text, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.models.base import Base, utcnow
from dagkeeper.models.encrypted import EncryptedText

KEY_LENGTH = 250


class Variable(Base):
    __tablename__ = "variable"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    value: Mapped[str] = mapped_column(EncryptedText)
    description: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ParseVariableRead(Base):
    """Variable ``key`` was read while the DAG file ``fileloc`` was last parsed."""

    __tablename__ = "parse_variable_read"

    fileloc: Mapped[str] = mapped_column(String(1000), primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True, index=True)


def record_parse_reads(
    session: Session, fileloc: str, keys: Iterable[str], *, known: bool = True
) -> None:
    """Replace what ``fileloc`` read at parse time (inside the file's publication).

    ``known=False``: the processor had no row for the file, so there is nothing to replace.
    """
    if known:
        session.execute(delete(ParseVariableRead).where(ParseVariableRead.fileloc == fileloc))
    session.add_all(
        ParseVariableRead(fileloc=fileloc, key=k) for k in sorted(set(keys)) if len(k) <= KEY_LENGTH
    )

"""Triggers: what a deferred task waits for, held by one triggerer at a time.

A trigger is data (a ``kind`` and its JSON ``args``, checked by
:mod:`dagkeeper.serialization.triggers`), never a class path, so the
triggerer imports no DAG code. A triggerer holds a trigger by writing its
own id and a lease; it renews the lease of all it holds in one update, and
a trigger whose lease ran out (its triggerer died) is free for another.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dagkeeper.models.base import Base, utcnow


class Trigger(Base):
    __tablename__ = "trigger"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    args: Mapped[str] = mapped_column(Text)  # JSON object
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    triggerer_id: Mapped[str | None] = mapped_column(String(300))  # host:pid:start of its holder
    lease_until: Mapped[datetime | None] = mapped_column(index=True)

"""XComs: JSON values a task instance publishes under a key, for tasks after it.

A task's return value is the key ``return_value``; ``ti.xcom_push(key, value)``
and ``multiple_outputs`` add other keys. The runner clears a task instance's
XComs when a new try starts, so downstream tasks never read a stale try's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dagkeeper.models.base import Base, utcnow

RETURN_KEY = "return_value"


class XCom(Base):
    __tablename__ = "xcom"

    task_instance_id: Mapped[int] = mapped_column(
        ForeignKey("task_instance.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(250), primary_key=True, default=RETURN_KEY)
    value: Mapped[str] = mapped_column(Text)  # JSON
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

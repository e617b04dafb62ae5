"""Task logs in the database, so any worker on any host can serve them.

A runner appends chunks while the task runs; ``offset`` is the character
offset of the chunk's first character in the try's whole log, so a reader can
tail from any offset with one indexed range read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from dagkeeper.models.base import Base, utcnow


class TaskLog(Base):
    __tablename__ = "task_log"

    task_instance_id: Mapped[int] = mapped_column(
        ForeignKey("task_instance.id", ondelete="CASCADE"), primary_key=True
    )
    try_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    offset: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

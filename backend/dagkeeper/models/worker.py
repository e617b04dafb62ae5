"""Workers that run tries for the Celery executor, each heartbeating its own row.

The broker only delivers work; who is alive, what it consumes and what it
runs is read from here (and from the task instances it claimed), so any web
worker on any host shows the same list.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dagkeeper.models.base import Base, utcnow


class Worker(Base):
    __tablename__ = "worker"

    hostname: Mapped[str] = mapped_column(String(250), primary_key=True)
    queues: Mapped[str] = mapped_column(Text)  # comma-separated, as given to --queues
    concurrency: Mapped[int] = mapped_column(Integer)
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    stopped_at: Mapped[datetime | None]  # set on a clean shutdown

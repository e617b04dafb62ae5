"""Workers that run tries for the Celery executor, each heartbeating its own row.

The broker only delivers work; who is alive, what it consumes and what it
runs is read from here (and from the task instances it claimed), so any web
worker on any host shows the same list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.models.access import readable
from dagkeeper.models.base import Base, utcnow
from dagkeeper.models.run import DagRun
from dagkeeper.models.task_instance import TaskInstance, TaskState


class Worker(Base):
    __tablename__ = "worker"

    hostname: Mapped[str] = mapped_column(String(250), primary_key=True)
    queues: Mapped[str] = mapped_column(Text)  # comma-separated, as given to --queues
    concurrency: Mapped[int] = mapped_column(Integer)
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    stopped_at: Mapped[datetime | None]  # set on a clean shutdown


@dataclass(frozen=True)
class RunningTry:
    dag_id: str
    run_id: str
    task_id: str
    try_number: int
    start_date: datetime | None


def worker_page(
    session: Session, limit: int, offset: int, principals: Sequence[str] | None = None
) -> tuple[int, list[tuple[Worker, list[RunningTry]]]]:
    """Workers by host name, each with the tries running on it (as their runners recorded).

    Only tries of DAGs ``principals`` may read are listed (None: every DAG).
    """
    total = session.scalar(select(func.count()).select_from(Worker))
    workers = list(
        session.scalars(select(Worker).order_by(Worker.hostname).limit(limit).offset(offset))
    )
    running: dict[str, list[RunningTry]] = {w.hostname: [] for w in workers}
    if workers:
        rows = session.execute(
            select(
                TaskInstance.hostname,
                TaskInstance.dag_id,
                DagRun.run_id,
                TaskInstance.task_id,
                TaskInstance.try_number,
                TaskInstance.start_date,
            )
            .join(DagRun, DagRun.id == TaskInstance.dag_run_id)
            .where(TaskInstance.state == TaskState.RUNNING, TaskInstance.hostname.in_(running))
            .where(*[c for c in [readable(TaskInstance.dag_id, principals)] if c is not None])
            .order_by(TaskInstance.start_date, TaskInstance.id)
        )
        for hostname, *fields in rows:
            running[hostname].append(RunningTry(*fields))
    return total, [(w, running[w.hostname]) for w in workers]

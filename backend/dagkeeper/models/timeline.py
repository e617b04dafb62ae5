"""Where a run's time went and how a DAG fared day by day: the Gantt, task history, calendar.

Every try counts: a retried task has its earlier tries in ``task_instance_history``
and its current one in ``task_instance``; the Gantt shows each as its own bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Date, Row, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from dagkeeper.models.run import DagRun
from dagkeeper.models.task_instance import TaskInstance, TaskInstanceHistory

_TRY = ("task_id", "try_number", "state", "queued_at", "start_date", "end_date", "hostname")


def run_tries(session: Session, dag_run_id: int) -> Sequence[Row]:
    """Every try of every task of a run (earlier tries first), ``current`` marking the latest."""
    current = select(*(getattr(TaskInstance, c) for c in _TRY), literal(True).label("current"))
    earlier = (
        select(*(getattr(TaskInstanceHistory, c) for c in _TRY), literal(False).label("current"))
        .join(TaskInstance, TaskInstance.id == TaskInstanceHistory.task_instance_id)
        .where(
            TaskInstance.dag_run_id == dag_run_id,
            TaskInstanceHistory.try_number != TaskInstance.try_number,
        )
    )
    both = union_all(current.where(TaskInstance.dag_run_id == dag_run_id), earlier).subquery()
    return session.execute(select(both).order_by(both.c.task_id, both.c.try_number)).all()


def task_history(session: Session, dag_id: str, task_id: str, limit: int) -> Sequence[Row]:
    """The task's instance in each of the DAG's newest runs (that have one), oldest first."""
    rows = session.execute(
        select(
            DagRun.run_id,
            DagRun.logical_date,
            TaskInstance.state,
            TaskInstance.try_number,
            TaskInstance.start_date,
            TaskInstance.end_date,
            TaskInstance.duration,
        )  # fmt: skip
        .join(TaskInstance, TaskInstance.dag_run_id == DagRun.id)
        # one row per run: a mapped task is represented by its first map index
        .where(
            DagRun.dag_id == dag_id, TaskInstance.task_id == task_id, TaskInstance.map_index <= 0
        )
        .order_by(DagRun.logical_date.desc())
        .limit(limit)
    ).all()
    return rows[::-1]


def daily_outcomes(
    session: Session, dag_id: str, start: datetime, end: datetime
) -> Sequence[tuple[str, str, int]]:
    """(UTC day as YYYY-MM-DD, run state, count) of runs whose logical date is in [start, end)."""
    column = DagRun.logical_date
    if session.get_bind().dialect.name == "postgresql":
        day = func.to_char(cast(func.timezone("UTC", column), Date), "YYYY-MM-DD")
    else:  # SQLite stores UTC text; date() takes its day
        day = func.date(column)
    rows = session.execute(
        select(day.label("day"), DagRun.state, func.count())
        .where(DagRun.dag_id == dag_id, column >= start, column < end)
        .group_by("day", DagRun.state)
        .order_by("day")
    )
    return [(d, state, count) for d, state, count in rows]

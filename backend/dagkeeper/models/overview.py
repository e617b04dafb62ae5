"""The home page's aggregates: runs and tasks by state, the slowest and most-failing DAGs.

All over one time window, a run belonging to it when it started (or, not started
yet, was queued) inside it. Durations are computed in Python from the finished
runs, so SQLite and PostgreSQL give the same numbers without dialect date maths.
``visible`` narrows every count to the DAGs the caller may read (a condition on
``DagRun.dag_id``; None: all DAGs).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from dagkeeper.models.run import DagRun, RunState
from dagkeeper.models.task_instance import TaskInstance

_RUN_TIME = func.coalesce(DagRun.start_date, DagRun.queued_at)
Visible = ColumnElement[bool] | None


def _window(since: datetime, visible: Visible) -> list[ColumnElement[bool]]:
    return [since <= _RUN_TIME] + ([] if visible is None else [visible])


def runs_by_state(session: Session, since: datetime, visible: Visible) -> dict[str, int]:
    rows = session.execute(
        select(DagRun.state, func.count()).where(*_window(since, visible)).group_by(DagRun.state)
    )
    return dict(rows.all())


def task_instances_by_state(session: Session, since: datetime, visible: Visible) -> dict[str, int]:
    """Task instances of the window's runs; ``none`` for those not scheduled yet."""
    rows = session.execute(
        select(TaskInstance.state, func.count())
        .join(DagRun, DagRun.id == TaskInstance.dag_run_id)
        .where(*_window(since, visible))
        .group_by(TaskInstance.state)
    )
    counts: dict[str, int] = defaultdict(int)
    for state, count in rows:
        counts[state or "none"] += count
    return dict(counts)


@dataclass(frozen=True)
class DagRunStats:
    dag_id: str
    runs: int  # finished runs in the window
    failed: int
    mean_seconds: float


def finished_run_stats(session: Session, since: datetime, visible: Visible) -> list[DagRunStats]:
    rows = session.execute(
        select(DagRun.dag_id, DagRun.state, DagRun.start_date, DagRun.end_date).where(
            *_window(since, visible),
            DagRun.state.in_(RunState.FINISHED),
            DagRun.end_date.is_not(None),
        )
    )
    runs: dict[str, list[float]] = defaultdict(list)
    failed: dict[str, int] = defaultdict(int)
    for dag_id, state, start, end in rows:
        runs[dag_id].append((end - start).total_seconds() if start else 0.0)
        failed[dag_id] += state == RunState.FAILED
    return [
        DagRunStats(dag_id, len(seconds), failed[dag_id], sum(seconds) / len(seconds))
        for dag_id, seconds in runs.items()
    ]

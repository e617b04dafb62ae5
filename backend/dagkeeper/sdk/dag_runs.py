"""Runs of other DAGs, as tasks see them: trigger one, read its state, read a task's state.

What ``TriggerDagRunOperator``, ``ExternalTaskSensor`` and the like need from
the database. A triggered run is made by the one manual-run constructor the
API uses too (``models.queue_manual_run``: the DAG's current version, its
manual data interval; ``conf`` checked against its params), so the scheduler
cannot tell them apart.

SQLAlchemy and the models are imported by the functions that query, not with the
module: operators import it, so every DAG-file parse child would hold them
(docs/PROFILE.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from dagkeeper import db
from dagkeeper.serialization.params import conf_errors

if TYPE_CHECKING:
    from dagkeeper.models import DagRun


class DagRunError(Exception):
    """The run cannot be triggered (unknown or inactive DAG, bad conf, run exists)."""


@dataclass(frozen=True)
class TriggeredRun:
    dag_id: str
    run_id: str
    logical_date: datetime


def trigger_dag_run(
    dag_id: str, run_id: str | None = None, conf: dict[str, Any] | None = None,
    logical_date: datetime | None = None, reset_dag_run: bool = False,
) -> TriggeredRun:  # fmt: skip
    """Queue a manual run of ``dag_id``; with ``reset_dag_run`` an existing one is cleared instead."""
    from dagkeeper.models import (
        ChangeKind,
        Dag,
        DagVersion,
        RunExists,
        queue_manual_run,
        record_change,
    )

    conf = dict(conf or {})
    with db.transaction() as session:
        dag = session.get(Dag, dag_id)
        if dag is None or not dag.is_active or dag.current_version_id is None:
            raise DagRunError(f"DAG {dag_id!r} does not exist or is not active")
        version = session.get(DagVersion, dag.current_version_id)
        assert version is not None
        document = version.read()
        errors = conf_errors(conf, document.params)
        if errors:
            key, problems = next(iter(errors.items()))
            raise DagRunError(f"{key} {problems[0]} (a param of DAG {dag_id!r})")
        try:
            run = queue_manual_run(
                session, dag, version.id, document, conf, logical_date=logical_date, run_id=run_id
            )
        except RunExists as exists:
            if not reset_dag_run:
                raise DagRunError(
                    f"DAG {dag_id!r} already has a run {exists.run.run_id!r} at this date"
                ) from None
            run = exists.run
            _reset(session, run)
            record_change(session, [(dag_id, ChangeKind.RUN)])
    return TriggeredRun(dag_id, run.run_id, run.logical_date)


def _reset(session: Any, run: DagRun) -> None:
    """Every task instance of ``run`` back to no state with full retries; the run runs again."""
    from sqlalchemy import select

    from dagkeeper.models import TaskInstance, TaskState, archive_try, queries

    document = queries.document_of(session, run.dag_version_id)
    for ti in session.scalars(select(TaskInstance).where(TaskInstance.dag_run_id == run.id)):
        archive_try(session, ti)
        ti.state = TaskState.NONE
        ti.next_try_at = None
        task = document.tasks.get(ti.task_id) if document else None
        ti.max_tries = ti.try_number + (task.retries if task else 0) + 1
    run.reopen()


def dag_run_state(dag_id: str, run_id: str) -> str | None:
    from sqlalchemy import select

    from dagkeeper.models import DagRun

    with db.read_session() as session:
        return session.scalar(
            select(DagRun.state).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)
        )


def external_states(
    dag_id: str, logical_date: datetime, task_ids: list[str] | None
) -> tuple[str | None, dict[str, str | None]]:
    """The state of ``dag_id``'s run at ``logical_date`` and of those of its tasks (None: no run)."""
    from sqlalchemy import select

    from dagkeeper.models import DagRun, TaskInstance

    with db.read_session() as session:
        run = session.execute(
            select(DagRun.id, DagRun.state).where(
                DagRun.dag_id == dag_id, DagRun.logical_date == logical_date
            )
        ).first()
        if run is None:
            return None, {}
        query = select(TaskInstance.task_id, TaskInstance.state).where(
            TaskInstance.dag_run_id == run.id
        )
        if task_ids is not None:
            query = query.where(TaskInstance.task_id.in_(task_ids))
        return run.state, dict(session.execute(query).all())

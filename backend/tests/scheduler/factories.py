"""Build DAG rows, versions and runs in the database the way the processor and API do.

The scheduler works from stored documents only, so most tests publish a
hand-written document; end-to-end tests publish a real DAG file (imported
here with the authoring loader, as the processor's child would) so the
runner can load it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from dagkeeper import db
from dagkeeper.models import (
    ChangeKind,
    Dag,
    DagCode,
    DagRun,
    DagVersion,
    RunState,
    RunType,
    TaskInstance,
    TaskLog,
    record_change,
    utcnow,
)
from dagkeeper.serialization import digest, dumps, loads


def task_doc(task_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "label": task_id,
        "operator": "EmptyOperator",
        "group": None,
        "retries": 0,
        "retry_delay": 0,
        "trigger_rule": "all_success",
        "execution_timeout": None,
        "owner": "test",
        "doc_md": None,
        "template_fields": [],
        "template_values": {},
        "ui_color": "#fff",
        "ui_fgcolor": "#000",
        **overrides,
    }


def dag_doc(
    dag_id: str,
    tasks: list[dict[str, Any]] | list[str],
    edges: list[tuple[str, str]] = (),
    **overrides: Any,
) -> dict[str, Any]:
    return {
        "dag_id": dag_id,
        "description": None,
        "doc_md": None,
        "schedule": {"kind": "none", "expression": None, "seconds": None},
        "timezone": "UTC",
        "start_date": "2024-01-01T00:00:00+00:00",
        "end_date": None,
        "catchup": False,
        "max_active_runs": 16,
        "max_active_tasks": 16,
        "owners": ["test"],
        "tags": [],
        "params": {},
        "default_args": {},
        "tasks": [task_doc(t) if isinstance(t, str) else t for t in tasks],
        "task_groups": [],
        "edges": [list(e) for e in edges],
        **overrides,
    }


def publish(doc: dict[str, Any], fileloc: str = "dag.py", source: str = "", **dag_fields) -> int:
    """Insert or update the dag row with a new version of ``doc``; returns the version id."""
    data = dumps(doc)
    parsed = loads(data)
    with db.transaction() as session:
        code = DagCode(fileloc=fileloc, source_hash=digest(source.encode()), source=source)
        existing_code = session.scalar(
            select(DagCode).where(
                DagCode.fileloc == fileloc, DagCode.source_hash == code.source_hash
            )
        )
        code = existing_code or code
        session.add(code)
        dag = session.get(Dag, parsed.dag_id) or Dag(dag_id=parsed.dag_id)
        number = (
            session.scalar(
                select(func.max(DagVersion.version_number)).where(
                    DagVersion.dag_id == parsed.dag_id
                )
            )
            or 0
        ) + 1
        dag.fileloc = fileloc
        dag.schedule_kind = parsed.schedule["kind"]
        dag.schedule_expression = parsed.schedule["expression"]
        dag.timezone = parsed.timezone
        dag.start_date = parsed.start_date
        dag.end_date = parsed.end_date
        dag.catchup = parsed.catchup
        dag.max_active_runs = parsed.max_active_runs
        dag.max_active_tasks = parsed.max_active_tasks
        dag.is_active = True
        dag.version_number = number
        for name, value in dag_fields.items():
            setattr(dag, name, value)
        session.add(dag)
        session.flush()
        version = DagVersion.build(data, parsed, version_number=number, dag_code_id=code.id)
        session.add(version)
        session.flush()
        dag.current_version_id = version.id
        record_change(session, [(parsed.dag_id, ChangeKind.DAG)])
        return version.id


def publish_dag_file(path: Path, dags_folder: Path) -> list[str]:
    """Import a DAG file as the processor would and publish every DAG it defines."""
    from dagkeeper.authoring.loader import import_dag_file
    from dagkeeper.authoring.to_document import serialize_dag

    dags = import_dag_file(path)
    fileloc = str(path.relative_to(dags_folder))
    for dag in dags:
        publish(serialize_dag(dag), fileloc=fileloc, source=path.read_text())
    return [dag.dag_id for dag in dags]


def trigger(
    dag_id: str,
    run_id: str = "manual__1",
    conf: str = "{}",
    logical_date: datetime | None = None,
) -> int:
    """Queue a manual run as the API does: one dag_run row pinned to the current version."""
    with db.transaction() as session:
        dag = session.get(Dag, dag_id)
        run = DagRun(
            dag_id=dag_id,
            run_id=run_id,
            run_type=RunType.MANUAL,
            state=RunState.QUEUED,
            logical_date=logical_date or utcnow(),
            conf=conf,
            dag_version_id=dag.current_version_id,
        )
        session.add(run)
        session.flush()
        record_change(session, [(dag_id, ChangeKind.RUN)])
        return run.id


def run_state(run_pk: int) -> str:
    with db.read_session() as session:
        return session.scalar(select(DagRun.state).where(DagRun.id == run_pk))


def ti_states(run_pk: int) -> dict[str, str | None]:
    with db.read_session() as session:
        return dict(
            session.execute(
                select(TaskInstance.task_id, TaskInstance.state).where(
                    TaskInstance.dag_run_id == run_pk
                )
            ).all()
        )


def task_instance(run_pk: int, task_id: str) -> TaskInstance:
    with db.read_session() as session:
        return session.scalar(
            select(TaskInstance).where(
                TaskInstance.dag_run_id == run_pk, TaskInstance.task_id == task_id
            )
        )


def log_text(ti_id: int, try_number: int) -> str:
    with db.read_session() as session:
        chunks = session.execute(
            select(TaskLog.offset, TaskLog.content)
            .where(TaskLog.task_instance_id == ti_id, TaskLog.try_number == try_number)
            .order_by(TaskLog.offset)
        ).all()
    text = ""
    for offset, content in chunks:
        assert offset == len(text), "log chunks must be contiguous at character offsets"
        text += content
    return text


def wait_for(condition: Callable[[], Any], timeout: float = 30.0, interval: float = 0.05) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last value {value!r})")
        time.sleep(interval)


def finished(run_pk: int) -> str | None:
    state = run_state(run_pk)
    return state if state in RunState.FINISHED else None


@contextmanager
def running_scheduler(parallelism: int = 4) -> Iterator[Any]:
    """A scheduler with a local executor running in a thread of the test process."""
    from dagkeeper.executors.local import LocalExecutor
    from dagkeeper.scheduler.loop import Scheduler

    scheduler = Scheduler(LocalExecutor(parallelism))
    stop = threading.Event()
    thread = threading.Thread(target=scheduler.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield scheduler
    finally:
        stop.set()
        thread.join(timeout=30)

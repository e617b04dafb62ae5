"""Run one try: claim it, load its DAG file, render, execute, record the outcome.

The try is claimed atomically (queued at this try number -> running), so a
request that arrives twice or late is a harmless no-op. The task's code runs
in a child process (:mod:`.task_process`) while this process heartbeats:
when the row stops being "running at this try" (a clear, a mark) or the
heartbeat cannot be renewed for half the scheduler's timeout, the task is
killed, so try N+1 never overlaps try N, and a fenced try writes no outcome.
Whatever else happens -- a broken or vanished DAG file, a template error, an
exception, a timeout -- ends as a recorded state with the reason in the
try's log. The runner releases the try (``last_heartbeat_at`` back to NULL)
only once its task process is gone; the scheduler starts no next try before.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from dagkeeper import db
from dagkeeper.authoring.exceptions import TaskSkipped
from dagkeeper.authoring.loader import import_dag_file
from dagkeeper.config import Settings, load_settings
from dagkeeper.models import (
    ChangeKind,
    DagCode,
    DagRun,
    DagVersion,
    RenderedTaskFields,
    TaskInstance,
    TaskState,
    XCom,
    record_change,
    utcnow,
)
from dagkeeper.runner.context import (
    DagRunView,
    TaskInstanceView,
    build_context,
    render_template_fields,
)
from dagkeeper.runner.logs import LogShipper, captured_output
from dagkeeper.runner.task_process import TaskProcess
from dagkeeper.runner.timeouts import TaskTimeout, call_with_limit
from dagkeeper.serialization import jsonable
from dagkeeper.try_outcomes import HOSTNAME, fail_or_retry, finish_try

log = logging.getLogger("dagkeeper.task")


class TaskLoadError(Exception):
    """The try's DAG file could not give us its task; the message says why."""


@dataclass(frozen=True)
class Claim:
    ti: TaskInstanceView
    run: DagRunView
    fileloc: str
    dag_version_id: int


@dataclass(frozen=True)
class Outcome:
    state: str  # success | skipped | failed | fenced (the row moved on: record nothing)
    result: Any = None  # JSON data
    retry_delay: float | None = None  # None: take it from the run's DAG version


FENCED = "fenced"
SELF_KILL_AFTER = 0.5  # of the heartbeat timeout without a renewed heartbeat
CHECK_INTERVAL = 0.1  # seconds between looks at the fence while the task runs


def heartbeat_interval(timeout: float) -> float:
    """Several beats fit in the self-kill window, so one slow write does not stop a task."""
    return max(0.2, min(5.0, timeout / 6))


def kill_grace(timeout: float) -> float:
    """SIGTERM to SIGKILL; short enough that the kill ends well before the scheduler's timeout."""
    return max(0.2, min(5.0, timeout / 10))


def run_task_instance(dag_id: str, run_id: str, task_id: str, try_number: int) -> int:
    """Run try ``try_number`` of a task instance; 0 when it succeeded or was skipped."""
    settings = load_settings()
    claim = claim_try(dag_id, run_id, task_id, try_number)
    if claim is None:
        print(
            f"{dag_id}/{run_id}/{task_id} is not queued at try {try_number}: nothing to do",
            file=sys.stderr,
        )
        return 0
    interval = heartbeat_interval(settings.heartbeat_timeout)
    shipper = LogShipper(claim.ti.id, try_number, interval)
    with captured_output(shipper.write):
        task = TaskProcess(lambda: _as_json(execute(claim, settings)))
        shipper.start()
        outcome = supervise(task, shipper, settings.heartbeat_timeout)
    shipper.stop()
    state = record_outcome_patiently(claim, outcome, shipper, settings.heartbeat_timeout)
    return 0 if state in (TaskState.SUCCESS, TaskState.SKIPPED) else 1


def supervise(task: TaskProcess, shipper: LogShipper, timeout: float) -> Outcome:
    """Wait for the task's process; stop it if the try is fenced or its heartbeat lapses."""
    while not task.wait(CHECK_INTERVAL):
        if shipper.fenced.is_set():
            log.warning("This try was cleared or marked meanwhile: stopping its task")
            task.kill(kill_grace(timeout))
            return Outcome(FENCED)
        silent = time.monotonic() - shipper.last_beat
        if silent > timeout * SELF_KILL_AFTER:
            log.error(
                "No heartbeat could be recorded for %.1f s: stopping the task so that no "
                "other try can overlap it",
                silent,
            )
            task.kill(kill_grace(timeout))
            return Outcome(TaskState.FAILED)
    result = task.result()
    if result is None:
        code = task.exit_code or 0
        how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        log.error("The task process %s before reporting an outcome", how)
        return Outcome(TaskState.FAILED)
    return Outcome(**result)


def _as_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "state": outcome.state,
        "result": jsonable(outcome.result),
        "retry_delay": outcome.retry_delay,
    }


def _claim_query(dag_id: str, run_id: str, task_id: str):
    return (
        select(TaskInstance, DagRun, DagCode.fileloc)
        .join(DagRun, DagRun.id == TaskInstance.dag_run_id)
        .join(DagVersion, DagVersion.id == DagRun.dag_version_id)
        .join(DagCode, DagCode.id == DagVersion.dag_code_id)
        .where(DagRun.dag_id == dag_id, DagRun.run_id == run_id, TaskInstance.task_id == task_id)
        .with_for_update(of=TaskInstance)
    )


def warm_up() -> None:
    """Make this process's engine ready before the executor's zygote forks runners from it.

    SQLAlchemy configures mappers and compiles statements on first use and
    caches them on the engine; doing it once here, then closing every
    connection, saves each forked runner that work (about a third of a no-op
    task's CPU time). Reads only: nothing is written.
    """
    with db.read_session() as session:
        session.execute(_claim_query("", "", "")).first()
        session.get(TaskInstance, -1)
        session.get(XCom, -1)
    db.engine().dispose()


def claim_try(dag_id: str, run_id: str, task_id: str, try_number: int) -> Claim | None:
    """Move the try from queued to running; None if it is not queued at that try."""
    now = utcnow()
    with db.transaction() as session:
        row = session.execute(_claim_query(dag_id, run_id, task_id)).first()
        if row is None:
            return None
        ti, run, fileloc = row
        if ti.state != TaskState.QUEUED or ti.try_number != try_number:
            return None
        ti.state = TaskState.RUNNING
        ti.start_date = ti.last_heartbeat_at = now
        ti.end_date = ti.duration = None
        ti.hostname = HOSTNAME
        ti.pid = os.getpid()
        record_change(session, [(dag_id, ChangeKind.RUN)])
        return Claim(
            ti=TaskInstanceView(
                ti.id, dag_id, run_id, task_id, try_number, ti.max_tries, ti.dag_run_id
            ),
            run=DagRunView(
                id=run.id,
                dag_id=dag_id,
                run_id=run_id,
                run_type=run.run_type,
                logical_date=run.logical_date,
                data_interval_start=run.data_interval_start,
                data_interval_end=run.data_interval_end,
                conf=json.loads(run.conf or "{}"),
            ),
            fileloc=fileloc,
            dag_version_id=run.dag_version_id,
        )


def load_task(claim: Claim, settings: Settings) -> tuple[Any, Any]:
    """Import the one DAG file of the try and find its DAG and task."""
    path = settings.dags_folder / Path(claim.fileloc)
    if not path.is_file():
        raise TaskLoadError(f"DAG file {path} does not exist")
    limit = settings.parse_timeout
    try:
        dags = call_with_limit(
            limit, f"importing took longer than {limit:g} s", lambda: import_dag_file(path)
        )
    except BaseException:
        raise TaskLoadError(
            f"DAG file {path} failed to import:\n{traceback.format_exc().rstrip()}"
        ) from None
    dag = next((d for d in dags if d.dag_id == claim.ti.dag_id), None)
    if dag is None:
        raise TaskLoadError(f"DAG file {path} no longer defines the DAG {claim.ti.dag_id!r}")
    task = dag.task_dict.get(claim.ti.task_id)
    if task is None:
        raise TaskLoadError(
            f"DAG {dag.dag_id!r} in {path} no longer has a task {claim.ti.task_id!r}"
        )
    return dag, task


def execute(claim: Claim, settings: Settings) -> Outcome:
    """Everything that runs user code; every way it can end becomes an :class:`Outcome`."""
    ti = claim.ti
    log.info(
        "Running %s.%s of run %s, try %d of %d, on %s (pid %d)",
        ti.dag_id, ti.task_id, ti.run_id, ti.try_number, ti.max_tries, HOSTNAME, os.getpid(),
    )  # fmt: skip
    try:
        dag, task = load_task(claim, settings)
    except TaskLoadError as exc:
        log.error("%s", exc)
        return Outcome(TaskState.FAILED)
    try:
        context = build_context(dag, task, claim.run, ti)
        rendered = render_template_fields(task, context)
        if task.template_fields:
            store_rendered(claim, rendered)
        seconds = task.execution_timeout_seconds
        result = call_with_limit(
            seconds, f"Task timed out after {seconds or 0:g} s", lambda: task.execute(context)
        )
    except TaskSkipped as exc:
        log.info("Task skipped: %s", exc)
        return Outcome(TaskState.SKIPPED)
    except TaskTimeout as exc:
        log.error("%s", exc)
        return Outcome(TaskState.FAILED, retry_delay=task.retry_delay_seconds)
    except BaseException:
        log.exception("Task failed")
        return Outcome(TaskState.FAILED, retry_delay=task.retry_delay_seconds)
    log.info("Task succeeded")
    return Outcome(TaskState.SUCCESS, result=result)


def store_rendered(claim: Claim, rendered: dict[str, Any]) -> None:
    with db.transaction() as session:
        session.merge(
            RenderedTaskFields(
                task_instance_id=claim.ti.id,
                try_number=claim.ti.try_number,
                rendered=json.dumps(jsonable(rendered), sort_keys=True),
            )
        )
        record_change(session, [(claim.ti.dag_id, ChangeKind.RUN)])


def _document_retry_delay(session, claim: Claim) -> float:
    text = session.scalar(select(DagVersion.document).where(DagVersion.id == claim.dag_version_id))
    tasks = json.loads(text)["tasks"] if text else []
    return next((t["retry_delay"] for t in tasks if t["task_id"] == claim.ti.task_id), 0.0)


def record_outcome_patiently(
    claim: Claim, outcome: Outcome, shipper: LogShipper, patience: float
) -> str | None:
    """:func:`record_outcome`, retried while the database is unreachable for up to ``patience`` s.

    If it never comes back, the scheduler's heartbeat check ends the try.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            return record_outcome(claim, outcome, shipper)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)


def record_outcome(claim: Claim, outcome: Outcome, shipper: LogShipper) -> str | None:
    """Write the try's final state, its return value and the rest of its log, in one transaction.

    The task process is gone by now, so the try is released in the same
    transaction, whether its outcome is recorded or not.
    """
    now = utcnow()
    chunk = None
    try:
        with db.transaction() as session:
            ti = session.get(TaskInstance, claim.ti.id, with_for_update=True)
            if ti is None:
                return None
            state = _write_outcome(session, ti, claim, outcome, shipper, now)
            chunk = shipper.take_chunk()
            if chunk is not None:
                session.add(chunk)
            record_change(session, [(claim.ti.dag_id, ChangeKind.RUN)])
    except Exception:
        if chunk is not None:
            shipper.put_back(chunk)
        raise
    return state


def _write_outcome(session, ti: TaskInstance, claim: Claim, outcome: Outcome, shipper, now):
    if ti.try_number == claim.ti.try_number:
        ti.last_heartbeat_at = None  # released: no process of this try is left
    if ti.state != TaskState.RUNNING or ti.try_number != claim.ti.try_number:
        reason = "it was stopped" if outcome.state == FENCED else f"it ended {outcome.state}"
        shipper.write(
            f"[dagkeeper runner] the task instance became {ti.state} (try {ti.try_number}) "
            f"while this try ran; {reason} and no outcome is recorded\n"
        )
        return None
    if outcome.state == TaskState.FAILED:
        delay = outcome.retry_delay
        if delay is None:
            delay = _document_retry_delay(session, claim)
        state = fail_or_retry(session, ti, delay, now)
        follow_up = (
            f"next try at {ti.next_try_at.isoformat()}" if ti.next_try_at else "no tries left"
        )
        shipper.write(f"[dagkeeper runner] marked {state} ({follow_up})\n")
        return state
    finish_try(ti, outcome.state, now)
    if outcome.result is not None:
        session.merge(XCom(task_instance_id=ti.id, value=json.dumps(outcome.result)))
    return outcome.state

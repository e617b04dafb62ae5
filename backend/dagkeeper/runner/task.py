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

import contextlib
import json
import logging
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError

from dagkeeper import db
from dagkeeper.authoring.context import running
from dagkeeper.authoring.exceptions import (
    SensorTimeout,
    TaskDeferred,
    TaskRescheduled,
    TaskSkipped,
)
from dagkeeper.authoring.loader import import_dag_file
from dagkeeper.authoring.mapping import apply_expansion, check_pushed_for_mapping
from dagkeeper.config import Settings, load_settings, private_environment_hidden
from dagkeeper.masking import SecretValues, process_secrets
from dagkeeper.models import (
    RETURN_KEY,
    ChangeKind,
    DagCode,
    DagRun,
    DagVersion,
    RenderedTaskFields,
    TaskInstance,
    TaskLog,
    TaskState,
    XCom,
    queries,
    record_change,
    utcnow,
)
from dagkeeper.models.asset_events import record_task_events
from dagkeeper.runner.context import (
    DagRunView,
    TaskInstanceView,
    build_context,
    environment_for,
    render,
    render_template_fields,
)
from dagkeeper.runner.learned_secrets import LearnedSecrets
from dagkeeper.runner.logs import LogShipper, captured_output, write_chunk
from dagkeeper.runner.preload import preloaded_dags
from dagkeeper.runner.task_process import TaskProcess
from dagkeeper.runner.timeouts import TaskTimeout, call_with_limit
from dagkeeper.serialization import jsonable, triggers
from dagkeeper.try_outcomes import (
    HOSTNAME,
    defer_try,
    fail_or_retry,
    finish_try,
    finished_values,
    log_end_offset,
    reschedule_try,
)

log = logging.getLogger("dagkeeper.task")


class TaskLoadError(Exception):
    """The try's DAG file could not give us its task; the message says why."""


@dataclass(frozen=True)
class Claim:
    ti: TaskInstanceView
    run: DagRunView
    fileloc: str
    dag_version_id: int
    started_at: datetime  # when this try was claimed (its start_date)
    next_method: str | None = None  # a resumed (deferred) try calls this instead of execute
    next_kwargs: dict[str, Any] = field(default_factory=dict)
    log_offset: int = 0  # where this run of the try's log starts (after a pause: its end)


@dataclass(frozen=True)
class Outcome:
    state: str  # success | skipped | failed | fenced (the row moved on: record nothing)
    xcoms: dict[str, Any] | None = None  # key -> value to publish on success
    retry_delay: float | None = None  # None: take it from the run's DAG version
    skips: frozenset[str] = frozenset()  # tasks of the run a branch chose not to follow
    retry: bool = True  # False: fail even with tries left (a sensor's timeout)
    pause: dict[str, Any] | None = None  # up_for_reschedule / deferred: what resumes the try
    asset_events: tuple[dict[str, Any], ...] = ()  # outlet events to record on success


FENCED = "fenced"
SELF_KILL_AFTER = 0.5  # of the heartbeat timeout without a renewed heartbeat
CHECK_INTERVAL = 0.1  # seconds between looks at the fence while the task runs


def heartbeat_interval(timeout: float) -> float:
    """Several beats fit in the self-kill window, so one slow write does not stop a task."""
    return max(0.2, min(5.0, timeout / 6))


def kill_grace(timeout: float) -> float:
    """SIGTERM to SIGKILL; short enough that the kill ends well before the scheduler's timeout."""
    return max(0.2, min(5.0, timeout / 10))


def run_task_instance(
    dag_id: str, run_id: str, task_id: str, try_number: int, map_index: int = -1
) -> int:
    """Run try ``try_number`` of a task instance; 0 when it succeeded, was skipped or paused."""
    settings = load_settings()
    claim = claim_try(dag_id, run_id, task_id, try_number, map_index)
    if claim is None:
        index = f"[{map_index}]" if map_index >= 0 else ""
        print(
            f"{dag_id}/{run_id}/{task_id}{index} is not queued at try {try_number}: nothing to do",
            file=sys.stderr,
        )
        return 0
    secrets = process_secrets()  # also what Variable/Connection reads hand out, as they do
    if dict(os.environ) != _SCANNED_ENVIRONMENT:  # else the zygote's warm-up did it already
        secrets.add_environment(os.environ)
    secrets.add_secret_names(claim.run.conf)
    learned = LearnedSecrets(secrets)
    interval = heartbeat_interval(settings.heartbeat_timeout)
    shipper = LogShipper(claim.ti.id, try_number, interval, learned.redact, claim.log_offset)
    with captured_output(shipper.write):
        task = TaskProcess(lambda: _in_task_process(claim, settings, secrets, learned))
        learned.parent_side()
        shipper.start()
        outcome = supervise(task, shipper, settings.heartbeat_timeout)
    shipper.stop()
    state = record_outcome_patiently(claim, outcome, shipper, settings.heartbeat_timeout)
    return 0 if state in (TaskState.SUCCESS, TaskState.SKIPPED, *TaskState.WAITING) else 1


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
    return Outcome(
        **{
            **result,
            "skips": frozenset(result["skips"]),
            "asset_events": tuple(result["asset_events"]),
        }
    )


def _in_task_process(
    claim: Claim, settings: Settings, secrets: SecretValues, learned: LearnedSecrets
) -> dict[str, Any]:
    """The task child's work: :func:`execute` without our settings in its environment.

    Secret values it learns (secret params, Variable/Connection reads) go to
    the runner before the task can print them, so the runner's log masks them too.
    """
    db.engine()  # made from the settings while the environment still holds them
    secrets.forward = learned.send
    with private_environment_hidden():
        outcome = execute(claim, settings, secrets)
    return {
        "state": outcome.state,
        "xcoms": None if outcome.xcoms is None else jsonable(outcome.xcoms),
        "retry_delay": outcome.retry_delay,
        "skips": sorted(outcome.skips),
        "retry": outcome.retry,
        "pause": outcome.pause,
        "asset_events": list(outcome.asset_events),
    }


# The statements of every try, built once with bind parameters: each runner (a fresh fork)
# then finds them compiled by warm_up, and even their cache keys computed. A claim reads
# these columns of its task instance and of its run, and the DAG file's path.
_CLAIMED_TI = ("id", "state", "try_number", "max_tries", "dag_run_id", "first_poke_at",
               "poke_count", "next_method", "next_kwargs")  # fmt: skip
_CLAIMED_RUN = ("run_type", "logical_date", "data_interval_start", "data_interval_end", "conf",
                "dag_version_id")  # fmt: skip
_CLAIM_READ = (
    select(
        *(TaskInstance.__table__.c[name] for name in _CLAIMED_TI),
        *(DagRun.__table__.c[name] for name in _CLAIMED_RUN),
        DagCode.fileloc,
    )
    .join(DagRun, DagRun.id == TaskInstance.dag_run_id)
    .join(DagVersion, DagVersion.id == DagRun.dag_version_id)
    .join(DagCode, DagCode.id == DagVersion.dag_code_id)
    .where(
        DagRun.dag_id == bindparam("dag_id"),
        DagRun.run_id == bindparam("run_id"),
        TaskInstance.task_id == bindparam("task_id"),
        TaskInstance.map_index == bindparam("map_index"),
    )
    .with_for_update(of=TaskInstance)
)
_THIS_TRY = (
    TaskInstance.id == bindparam("ti_id"),
    TaskInstance.try_number == bindparam("at_try"),
)
# queued at this try -> running, owned by this process (a new try's resume fields cleared)
_CLAIM = (
    update(TaskInstance)
    .where(*_THIS_TRY, TaskInstance.state == TaskState.QUEUED)
    .values(
        state=TaskState.RUNNING,
        start_date=bindparam("claimed_at"),
        last_heartbeat_at=bindparam("claimed_at"),
        end_date=None,
        duration=None,
        hostname=bindparam("owner_host"),
        pid=bindparam("owner_pid"),
        next_method=None,
        next_kwargs=None,
    )
)
# the try's end (try_outcomes.finished_values), only while the row still runs this try
_FINISH = (
    update(TaskInstance)
    .where(*_THIS_TRY, TaskInstance.state == TaskState.RUNNING)
    .values(
        {
            name: bindparam(f"finished_{name}")
            for name in ("state", "last_heartbeat_at", "end_date", "duration")
        }
    )
)
_CLEAR_XCOMS = delete(XCom).where(XCom.task_instance_id == bindparam("ti_id"))


def _finish_params(ti_id: int, try_number: int, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "ti_id": ti_id,
        "at_try": try_number,
        **{f"finished_{k}": v for k, v in values.items()},
    }


def _claim_params(dag_id: str, run_id: str, task_id: str, map_index: int) -> dict[str, Any]:
    return {"dag_id": dag_id, "run_id": run_id, "task_id": task_id, "map_index": map_index}


_SCANNED_ENVIRONMENT: dict[str, str] = {}  # the environment warm_up found the secrets of


def warm_up() -> None:
    """Make this process's engine ready before the executor's zygote forks runners from it.

    SQLAlchemy configures mappers and compiles statements on first use and
    caches them on the engine; doing it once here, then closing every
    connection, saves each forked runner that work (most of a no-op task's
    time in the database). The statements every try writes -- fixed-shape
    Core statements, so one compilation serves every try -- are compiled too,
    in a transaction that is rolled back: nothing is written.
    """
    now = utcnow()
    this_try = {"ti_id": -1, "at_try": 0}
    with db.read_session() as session:
        connection = session.connection()
        connection.execute(_CLAIM_READ, _claim_params("", "", "", -1)).first()
        connection.execute(
            _CLAIM, {**this_try, "claimed_at": now, "owner_host": HOSTNAME, "owner_pid": 0}
        )
        connection.execute(_CLEAR_XCOMS, {"ti_id": -1})
        connection.execute(_FINISH, _finish_params(-1, 0, finished_values("", now, now)))
        session.get(TaskInstance, -1)
        session.get(TaskInstance, -1, with_for_update=True)
        session.get(XCom, (-1, RETURN_KEY))
        record_change(session, [("", ChangeKind.RUN)])
        with contextlib.suppress(IntegrityError):  # no such task instance: compiled all the same
            write_chunk(session, TaskLog(task_instance_id=-1, try_number=0, offset=0, content=""))
        session.rollback()
    db.engine().dispose()
    process_secrets().add_environment(os.environ)  # every runner forked from here shares it
    _SCANNED_ENVIRONMENT.update(os.environ)


def claim_try(
    dag_id: str, run_id: str, task_id: str, try_number: int, map_index: int = -1
) -> Claim | None:
    """Move the try from queued to running; None if it is not queued at that try.

    Fixed-shape statements compiled by :func:`warm_up`: the write lock that
    every runner and the scheduler share is held for as little time as possible.
    """
    now = utcnow()
    with db.transaction() as session:
        connection = session.connection()
        params = _claim_params(dag_id, run_id, task_id, map_index)
        row = connection.execute(_CLAIM_READ, params).first()
        if row is None or row.state != TaskState.QUEUED or row.try_number != try_number:
            return None
        this_try = {"ti_id": row.id, "at_try": try_number}
        owner = {"claimed_at": now, "owner_host": HOSTNAME, "owner_pid": os.getpid()}
        if not connection.execute(_CLAIM, {**this_try, **owner}).rowcount:
            return None
        connection.execute(_CLEAR_XCOMS, {"ti_id": row.id})  # a new try's own
        record_change(session, [(dag_id, ChangeKind.RUN)])
        continued = row.poke_count > 0 or row.next_method is not None
        return Claim(
            ti=TaskInstanceView(
                row.id,
                dag_id,
                run_id,
                task_id,
                try_number,
                row.max_tries,
                row.dag_run_id,
                first_poke_at=row.first_poke_at,
                poke_count=row.poke_count,
                map_index=map_index,
            ),
            run=DagRunView(
                id=row.dag_run_id,
                dag_id=dag_id,
                run_id=run_id,
                run_type=row.run_type,
                logical_date=row.logical_date,
                data_interval_start=row.data_interval_start,
                data_interval_end=row.data_interval_end,
                conf=json.loads(row.conf or "{}"),
            ),
            fileloc=row.fileloc,
            dag_version_id=row.dag_version_id,
            started_at=now,
            next_method=row.next_method,
            next_kwargs=_kwargs(row.next_kwargs),
            log_offset=log_end_offset(session, row.id, try_number) if continued else 0,
        )


def _kwargs(text: str | None) -> dict[str, Any]:
    """A resumed try's stored arguments; anything but a JSON object resumes with none."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def load_task(claim: Claim, settings: Settings) -> tuple[Any, Any]:
    """Import the one DAG file of the try and find its DAG and task."""
    path = settings.dags_folder / Path(claim.fileloc)
    if not path.is_file():
        raise TaskLoadError(f"DAG file {path} does not exist")
    limit = settings.parse_timeout
    try:
        dags = preloaded_dags(path)  # imported by this DAG's template, if still current
        if dags is None:
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


def execute(claim: Claim, settings: Settings, secrets: SecretValues) -> Outcome:
    """Everything that runs user code; every way it can end becomes an :class:`Outcome`.

    Values of secret-named params join ``secrets``, so logs and rendered fields hide them.
    """
    ti = claim.ti
    log.info(
        "Running %s.%s%s of run %s, try %d of %d, on %s (pid %d)",
        ti.dag_id, ti.task_id, f"[{ti.map_index}]" if ti.map_index >= 0 else "", ti.run_id,
        ti.try_number, ti.max_tries, HOSTNAME, os.getpid(),
    )  # fmt: skip
    try:
        dag, task = load_task(claim, settings)
    except TaskLoadError as exc:
        log.error("%s", exc)
        return Outcome(TaskState.FAILED)
    context: dict[str, Any] = {"ti": ti, "task": task, "dag": dag}
    try:
        context = build_context(dag, task, claim.run, ti)
        if task.expand_input is not None:
            log.info("Map index %d: %s", ti.map_index, apply_expansion(task, ti.map_index, context))
        secrets.add_secret_names(context["params"])
        environment = environment_for(dag)
        rendered = render_template_fields(task, context, environment)
        secrets.add_secret_names(rendered)  # e.g. an ``env`` field's API_TOKEN
        if task.template_fields:
            store_rendered(claim, secrets.redact_tree(jsonable(rendered)))
        seconds = task.execution_timeout_seconds
        with running(context, lambda value, ctx: render(value, ctx, environment)):
            _call_back(task, "on_execute_callback", context)
            result = call_with_limit(
                seconds,
                f"Task timed out after {seconds or 0:g} s",
                lambda: _entry(claim, task, context),
            )
        xcoms = _xcoms_of(task, result)
        asset_events = context["outlet_events"].events(getattr(task, "outlets", []))
        check_pushed_for_mapping(task, xcoms, settings.max_map_length)
    except TaskSkipped as exc:
        log.info("Task skipped: %s", exc)
        return Outcome(TaskState.SKIPPED)
    except TaskRescheduled as exc:
        return _rescheduled(exc, ti)
    except TaskDeferred as exc:
        return _deferred(exc)
    except SensorTimeout as exc:
        log.error("%s", exc)
        _call_back(task, "on_failure_callback", {**context, "exception": exc})
        return Outcome(TaskState.FAILED, retry=False)
    except BaseException as exc:
        if isinstance(exc, TaskTimeout):
            log.error("%s", exc)
        else:
            log.exception("Task failed")
        retrying = ti.try_number < ti.max_tries
        _call_back(task, "on_retry_callback" if retrying else "on_failure_callback",
                   {**context, "exception": exc})  # fmt: skip
        return Outcome(TaskState.FAILED, retry_delay=task.retry_delay_for(ti.try_number))
    log.info("Task succeeded")
    _call_back(task, "on_success_callback", context)
    return Outcome(
        TaskState.SUCCESS,
        xcoms=xcoms,
        skips=frozenset(ti.skips),
        asset_events=tuple(asset_events),
    )


def _entry(claim: Claim, task: Any, context: dict[str, Any]) -> Any:
    """``execute``, or for a try resumed after deferral the method it asked to resume with."""
    if claim.next_method is None:
        return task.execute(context)
    method = getattr(task, claim.next_method, None)
    if not callable(method):
        raise AttributeError(f"{type(task).__name__} has no method {claim.next_method!r} to resume")
    log.info("Resuming with %s after deferral", claim.next_method)
    return method(context, **claim.next_kwargs)


def _rescheduled(exc: TaskRescheduled, ti: TaskInstanceView) -> Outcome:
    moment = exc.reschedule_date
    log.info("Rescheduling: next poke at %s", moment.isoformat())
    pause = {
        "state": TaskState.UP_FOR_RESCHEDULE,
        "next_poke_at": moment.isoformat(),
        "first_poke_at": (exc.first_poke_at or utcnow()).isoformat(),
        "poke_count": int(exc.poke_count or ti.poke_count + 1),
    }
    return Outcome(TaskState.UP_FOR_RESCHEDULE, pause=pause)


def _deferred(exc: TaskDeferred) -> Outcome:
    """The trigger, checked and encoded here so a bad one fails this try, not the triggerer."""
    try:
        kind, args = exc.trigger.serialize()
        encoded = triggers.encode(kind, args)
        kwargs = json.dumps(jsonable(exc.kwargs))
    except Exception as error:
        log.error("Cannot defer to %r: %s", exc.trigger, error)
        return Outcome(TaskState.FAILED)
    log.info("Deferring: waiting on a %s trigger %s", kind, encoded)
    pause = {"state": TaskState.DEFERRED, "kind": kind, "args": encoded,
             "next_method": exc.method_name, "next_kwargs": kwargs}  # fmt: skip
    return Outcome(TaskState.DEFERRED, pause=pause)


def _xcoms_of(task: Any, result: Any) -> dict[str, Any]:
    """What a successful try publishes: its return value, and each key with multiple_outputs."""
    if not task.do_xcom_push or result is None:
        return {}
    if task.multiple_outputs:
        if not isinstance(result, dict) or not all(isinstance(k, str) for k in result):
            raise TypeError(
                f"multiple_outputs needs a dict with string keys; the task returned "
                f"{type(result).__name__}"
            )
        return {**result, RETURN_KEY: result}
    return {RETURN_KEY: result}


def _call_back(task: Any, name: str, context: dict[str, Any]) -> None:
    """Call the task's callbacks ``name``; a callback that raises is logged, never fatal."""
    for callback in task.callbacks.get(name, ()):
        try:
            callback(context)
        except Exception:
            log.exception("%s %r raised; the task's state is unchanged", name, callback)


def store_rendered(claim: Claim, rendered: dict[str, Any]) -> None:
    with db.transaction() as session:
        session.merge(
            RenderedTaskFields(
                task_instance_id=claim.ti.id,
                try_number=claim.ti.try_number,
                rendered=json.dumps(rendered, sort_keys=True),
            )
        )
        record_change(session, [(claim.ti.dag_id, ChangeKind.RUN)])


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
            if _finished(session, claim, outcome, now):
                state: str | None = outcome.state
            else:
                ti = session.get(TaskInstance, claim.ti.id, with_for_update=True)
                if ti is None:
                    return None
                state = _write_outcome(session, ti, claim, outcome, shipper, now)
            chunk = shipper.take_chunk()
            if chunk is not None:
                write_chunk(session, chunk)
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
    if outcome.pause is not None:
        return _write_pause(session, ti, outcome.pause, shipper, now)
    if outcome.state == TaskState.FAILED and not outcome.retry:
        finish_try(ti, TaskState.FAILED, now)
        shipper.write("[dagkeeper runner] marked failed (no retry)\n")
        return TaskState.FAILED
    if outcome.state == TaskState.FAILED:
        delay = outcome.retry_delay
        if delay is None:
            document = queries.document_of(session, claim.dag_version_id)
            delay = document.retry_delay(claim.ti.task_id, claim.ti.try_number) if document else 0.0
        state = fail_or_retry(session, ti, delay, now)
        follow_up = (
            f"next try at {ti.next_try_at.isoformat()}" if ti.next_try_at else "no tries left"
        )
        shipper.write(f"[dagkeeper runner] marked {state} ({follow_up})\n")
        return state
    finish_try(ti, outcome.state, now)
    _publish(session, claim, outcome, now)
    return outcome.state


def _finished(session, claim: Claim, outcome: Outcome, now: datetime) -> bool:
    """The common end, success or skipped, as one guarded UPDATE with what it publishes.

    False when the outcome is another one, or the row is no longer running at
    this try (cleared, marked): the caller then loads the row and says why.
    """
    if outcome.pause is not None or outcome.state not in (TaskState.SUCCESS, TaskState.SKIPPED):
        return False
    values = finished_values(outcome.state, claim.started_at, now)
    params = _finish_params(claim.ti.id, claim.ti.try_number, values)
    if not session.connection().execute(_FINISH, params).rowcount:
        return False
    _publish(session, claim, outcome, now)
    return True


def _publish(session, claim: Claim, outcome: Outcome, now: datetime) -> None:
    """What a finished try hands on: its asset events and XComs, and the skips it chose."""
    if outcome.state == TaskState.SUCCESS and outcome.asset_events:
        source = {"dag_id": claim.ti.dag_id, "run_id": claim.ti.run_id, "task_id": claim.ti.task_id}
        queued = record_task_events(session, outcome.asset_events, source, now)
        record_change(session, [(None, ChangeKind.ASSET), *((d, ChangeKind.RUN) for d in queued)])
    for key, value in (outcome.xcoms or {}).items():
        session.merge(
            XCom(task_instance_id=claim.ti.id, key=key, value=json.dumps(jsonable(value)))
        )
    if outcome.skips:
        session.execute(
            update(TaskInstance)
            .where(
                TaskInstance.dag_run_id == claim.ti.dag_run_id,
                TaskInstance.task_id.in_(sorted(outcome.skips)),
                TaskInstance.state.is_(None),
            )
            .values(state=TaskState.SKIPPED, end_date=now, duration=0.0)
            .execution_options(synchronize_session=False)
        )


def _write_pause(session, ti: TaskInstance, pause: dict[str, Any], shipper, now) -> str:
    """End the try for now; the scheduler (reschedule) or the triggerer (deferral) resumes it."""
    if pause["state"] == TaskState.UP_FOR_RESCHEDULE:
        state = reschedule_try(
            ti, datetime.fromisoformat(pause["next_poke_at"]),
            datetime.fromisoformat(pause["first_poke_at"]), pause["poke_count"], now,
        )  # fmt: skip
        shipper.write(f"[dagkeeper runner] marked {state} (next poke at {pause['next_poke_at']})\n")
        return state
    state = defer_try(
        session, ti, pause["kind"], pause["args"], pause["next_method"], pause["next_kwargs"], now
    )
    shipper.write(f"[dagkeeper runner] marked {state} (trigger {ti.trigger_id}: {pause['kind']})\n")
    return state

"""Running tries whose runner went silent are failed or retried, with a note in their log."""

import os
import sqlite3
from datetime import timedelta

from sqlalchemy import update

from dagkeeper.db import read_session, transaction
from dagkeeper.executors import TaskExit, TaskKey
from dagkeeper.models import TaskInstance, utcnow
from dagkeeper.models.change import current_token
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.scheduler.heartbeats import check_heartbeats
from dagkeeper.scheduler.loop import Scheduler
from dagkeeper.scheduler.runs import start_queued_runs
from dagkeeper.try_outcomes import HOSTNAME

from .factories import dag_doc, log_text, publish, task_doc, task_instance, trigger


def running_run(retries: int = 0) -> int:
    publish(dag_doc("beats", [task_doc("work", retries=retries, retry_delay=60)]))
    run_pk = trigger("beats")
    with transaction() as session:
        start_queued_runs(session, DocumentCache(), utcnow())
    return run_pk


def set_running(run_pk: int, hostname: str, pid: int, silent_for: float) -> None:
    beat = utcnow() - timedelta(seconds=silent_for)
    with transaction() as session:
        session.execute(
            update(TaskInstance)
            .where(TaskInstance.dag_run_id == run_pk)
            .values(
                state="running",
                try_number=1,
                hostname=hostname,
                pid=pid,
                start_date=beat,
                last_heartbeat_at=beat,
            )  # fmt: skip
        )


def check(timeout: float = 5.0) -> None:
    with transaction() as session:
        check_heartbeats(session, DocumentCache(), timeout, utcnow())


def test_a_silent_runner_on_another_host_is_failed_with_a_log_note(db):
    run_pk = running_run()
    set_running(run_pk, "gone-host", 4242, silent_for=60)
    check()
    ti = task_instance(run_pk, "work")
    assert ti.state == "failed"
    assert "no heartbeat from the runner (pid 4242 on gone-host) for over 5 s" in log_text(ti.id, 1)


def test_a_silent_runner_with_retries_left_goes_up_for_retry(db):
    run_pk = running_run(retries=1)
    set_running(run_pk, "gone-host", 4242, silent_for=60)
    check()
    ti = task_instance(run_pk, "work")
    assert ti.state == "up_for_retry"
    assert ti.next_try_at > utcnow() + timedelta(seconds=50)


def test_a_recent_heartbeat_or_a_live_local_process_keeps_the_try_running(db):
    run_pk = running_run()
    set_running(run_pk, "gone-host", 4242, silent_for=1)
    check()
    assert task_instance(run_pk, "work").state == "running"
    set_running(run_pk, HOSTNAME, os.getpid(), silent_for=60)
    check()
    assert task_instance(run_pk, "work").state == "running"


class _Exits:
    """An executor that only reports the exits it is given (the local one's interface)."""

    parallelism = 4

    def __init__(self, exits):
        self.exits = exits

    def start(self): ...
    def stop(self): ...
    def queue(self, key): ...
    def exits_pending(self):
        return bool(self.exits)

    def wait(self, timeout):
        return False

    def collect_exits(self):
        exits, self.exits = self.exits, []
        return exits


def _token() -> int:
    with read_session() as session:
        return current_token(session)


def test_exits_of_tries_that_recorded_their_outcome_write_nothing_and_a_dead_runner_is_failed(db):
    run_pk = running_run()
    set_running(run_pk, HOSTNAME, 4242, silent_for=0)
    ti = task_instance(run_pk, "work")
    key = TaskKey(ti.id, 1, "beats", "manual__1", "work")
    with transaction() as session:  # what the runner writes when it ends
        session.execute(
            update(TaskInstance)
            .where(TaskInstance.id == ti.id)
            .values(state="success", last_heartbeat_at=None)
        )
    scheduler = Scheduler(executor=_Exits([TaskExit(key, 4242, 0)]))
    scheduler.run_once()  # the run is finished by this pass: one change
    before = _token()
    scheduler.executor.exits = [TaskExit(key, 4242, 0), TaskExit(key, 4242, 0)]
    scheduler.run_once()
    assert (_token(), task_instance(run_pk, "work").state) == (before, "success")

    run_pk = trigger("beats", run_id="second")
    with transaction() as session:
        start_queued_runs(session, DocumentCache(), utcnow())
    set_running(run_pk, HOSTNAME, 4343, silent_for=0)
    ti = task_instance(run_pk, "work")
    scheduler.executor.exits = [TaskExit(TaskKey(ti.id, 1, "beats", "second", "work"), 4343, -9)]
    scheduler.run_once()
    ti = task_instance(run_pk, "work")
    assert ti.state == "failed"
    assert "task process 4343 was killed by signal 9 without recording a state" in log_text(
        ti.id, 1
    )


def test_a_pass_with_only_settled_exits_waits_for_no_writer(sqlite_db):
    """Runners hold SQLite's one write lock in turn; a pass that has nothing to write takes none."""
    run_pk = running_run()
    set_running(run_pk, HOSTNAME, 4242, silent_for=0)
    ti = task_instance(run_pk, "work")
    key = TaskKey(ti.id, 1, "beats", "manual__1", "work")
    with transaction() as session:
        session.execute(
            update(TaskInstance)
            .where(TaskInstance.id == ti.id)
            .values(state="success", last_heartbeat_at=None)
        )
    scheduler = Scheduler(executor=_Exits([]))
    scheduler.run_once()  # finishes the run, prunes the change log
    writer = sqlite3.connect(sqlite_db.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a runner in the middle of writing its outcome
    try:
        scheduler.executor.exits = [TaskExit(key, 4242, 0)]
        scheduler.run_once()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert task_instance(run_pk, "work").state == "success"

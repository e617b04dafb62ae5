"""Clearing or marking a running try stops its process before anything else starts (local executor).

The tasks journal their own starts and ends and hold a file lock while they
live (:mod:`ground_truth`), so "try 1 was stopped before try 2 started" and
"the marked task stopped before its downstream started" are proved by the
processes themselves. The same checks run across hosts in
``tests/distributed``.
"""

import os
import subprocess
import sys
import textwrap
import threading
from contextlib import contextmanager

import pytest
from api.factories import add_user, bearer
from ground_truth import GroundTruth
from sqlalchemy import text, update

from dagkeeper import db
from dagkeeper.api import create_app
from dagkeeper.models import TaskInstance, utcnow
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.scheduler.runs import start_queued_runs

from .factories import (
    finished,
    log_text,
    publish_dag_file,
    running_scheduler,
    task_instance,
    trigger,
    wait_for,
)

DAG_FILE = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import PythonOperator


def work(task, try_number, seconds, lock=None):
    guarded(task.task_id, try_number, seconds[min(try_number, len(seconds)) - 1], lock)


with DAG("cancel", start_date=datetime(2024, 1, 1)):
    slow = PythonOperator(task_id="slow", python_callable=work,
                          op_kwargs={{"seconds": [120, 0.2], "lock": "serial"}})
    after = PythonOperator(task_id="after", python_callable=work,
                           op_kwargs={{"seconds": [0.2], "lock": "serial"}})
    slow >> after
"""

HEARTBEAT_TIMEOUT = "6"  # runners look at their row every second


@pytest.fixture
def ground(tmp_path, dags_folder, monkeypatch):
    monkeypatch.setenv("DAGKEEPER_HEARTBEAT_TIMEOUT", HEARTBEAT_TIMEOUT)
    truth = GroundTruth(tmp_path / "ground")
    path = dags_folder / "cancel.py"
    path.write_text(truth.module() + textwrap.dedent(DAG_FILE.format()))
    publish_dag_file(path, dags_folder)
    return truth


def running(run_pk: int, task_id: str):
    return wait_for(lambda: (t := task_instance(run_pk, task_id)) and t.state == "running" and t)


def started(ground: GroundTruth, task_id: str, try_number: int) -> bool:
    return (try_number, "start") in ground.of(task_id)


def released(run_pk: int, task_id: str) -> bool:
    return task_instance(run_pk, task_id).last_heartbeat_at is None


@contextmanager
def slow_task_started(ground: GroundTruth):
    """A scheduler running run r1, whose task "slow" started try 1; and an API client."""
    run_pk = trigger("cancel", "r1")
    with running_scheduler():
        slow = running(run_pk, "slow")
        wait_for(lambda: started(ground, "slow", 1))
        yield bearer(create_app({"TESTING": True}), add_user("canceller", "user")), run_pk, slow


def test_clearing_a_running_task_stops_try_1_before_try_2_starts(db, ground):
    with slow_task_started(ground) as (client, run_pk, slow):
        response = client.post(
            "/api/v1/dags/cancel/clearTaskInstances",
            json={"dag_run_ids": ["r1"], "task_ids": ["slow"]},
        )
        assert response.status_code == 200
        assert wait_for(lambda: finished(run_pk), timeout=60) == "success"
    assert ground.overlaps() == []
    assert ground.of("slow") == [(1, "start"), (2, "start"), (2, "end")]
    assert task_instance(run_pk, "slow").try_number == 2
    log = log_text(slow.id, 1)
    assert "cleared or marked meanwhile: stopping its task" in log
    assert "no outcome is recorded" in log


@pytest.mark.parametrize("state", ["success", "failed"])
def test_marking_a_running_task_stops_it_before_anything_downstream_starts(db, ground, state):
    with slow_task_started(ground) as (client, run_pk, slow):
        path = "/api/v1/dags/cancel/dagRuns/r1/taskInstances/slow"
        assert client.patch(path, json={"state": state}).status_code == 200
        wait_for(lambda: released(run_pk, "slow"), timeout=30)
        assert wait_for(lambda: finished(run_pk), timeout=60) == state
    assert ground.overlaps() == []
    assert ground.of("slow") == [(1, "start")]  # stopped, never ended
    assert task_instance(run_pk, "slow").state == state  # the user's word stands
    expected_after = [(1, "start"), (1, "end")] if state == "success" else []
    assert ground.of("after") == expected_after
    assert "no outcome is recorded" in log_text(slow.id, 1)


def test_marking_a_running_run_failed_stops_its_running_task(db, ground):
    with slow_task_started(ground) as (client, run_pk, slow):
        patch = client.patch("/api/v1/dags/cancel/dagRuns/r1", json={"state": "failed"})
        assert patch.status_code == 200
        wait_for(lambda: released(run_pk, "slow"), timeout=30)
    assert ground.of("slow") == [(1, "start")]
    assert [e.pid for e in ground.events() if e.task_id == "slow"] and not _alive(ground, "slow")
    assert task_instance(run_pk, "slow").state == "failed"
    assert "cleared or marked meanwhile" in log_text(slow.id, 1)


def _alive(ground: GroundTruth, task_id: str) -> bool:
    pids = [e.pid for e in ground.events() if e.task_id == task_id]
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        return True
    return False


def _queue_try(run_pk: int) -> None:
    with db.transaction() as session:
        start_queued_runs(session, DocumentCache(), utcnow())
        session.execute(
            update(TaskInstance)
            .where(TaskInstance.dag_run_id == run_pk, TaskInstance.task_id == "slow")
            .values(state="queued", try_number=1, max_tries=2)
        )


def _hold_task_instance_rows(url: str, locked: threading.Event, release: threading.Event):
    """Block every write to task_instance (a database the runner cannot reach, in effect)."""
    engine = db.make_engine(url).execution_options(sqlite_immediate=True)
    with engine.connect() as connection, connection.begin() as transaction:
        if url.startswith("sqlite"):
            connection.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock
        else:
            connection.execute(text("LOCK TABLE task_instance IN EXCLUSIVE MODE"))
        locked.set()
        release.wait()
        transaction.rollback()
    engine.dispose()


def test_a_runner_that_cannot_renew_its_heartbeat_kills_its_task_first(db, ground):
    run_pk = trigger("cancel", "r1")
    _queue_try(run_pk)
    runner = subprocess.Popen(
        [sys.executable, "-m", "dagkeeper", "tasks", "run", "cancel", "r1", "slow", "--try", "1"]
    )
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_task_instance_rows, args=(db, locked, release))
    try:
        wait_for(lambda: started(ground, "slow", 1))
        holder.start()
        locked.wait(30)
        wait_for(lambda: not _alive(ground, "slow"), timeout=30)  # killed while cut off
    finally:
        release.set()
        holder.join(30)
    assert runner.wait(timeout=60) == 1
    ti = task_instance(run_pk, "slow")
    assert (ti.state, ti.last_heartbeat_at) == ("up_for_retry", None)
    assert ground.of("slow") == [(1, "start")]
    assert "No heartbeat could be recorded" in log_text(ti.id, 1)

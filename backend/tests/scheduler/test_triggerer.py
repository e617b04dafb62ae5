"""Deferred sensors and the triggerer: waits without a slot, resumed as the same try, and a
triggerer killed while tasks wait loses nothing and fires nothing twice (both databases)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest
from sqlalchemy import func, select

from dagkeeper.db import read_session, transaction
from dagkeeper.models import TaskInstance, Trigger
from dagkeeper.scheduler.loop import Scheduler
from dagkeeper.triggerer.loop import Triggerer

from .factories import log_text, publish_dag_file, task_instance, ti_states, trigger, wait_for
from .inline import InlineExecutor
from .test_sensors import drive

SENSORS = """
from datetime import datetime, timedelta, timezone
from dagkeeper import DAG
from dagkeeper.operators import (
    DateTimeSensor, DateTimeSensorAsync, EmptyOperator, FileSensor, TimeDeltaSensor,
)

with DAG("{name}", start_date=datetime(2024, 1, 1)):
    soon = (datetime.now(timezone.utc) + timedelta(seconds={seconds})).isoformat()
    files = [FileSensor(task_id=f"file_{{i}}", filepath=f"{folder}/ready_{{i}}", deferrable=True,
                        poke_interval=0.05) for i in range({files})]
    times = [DateTimeSensorAsync(task_id="at_soon", target_time=soon),
             DateTimeSensor(task_id="at_past", target_time="2020-01-01T00:00:00+00:00",
                            deferrable=True),
             TimeDeltaSensor(task_id="delta", delta=timedelta(seconds=-1), deferrable=True)]
    files + times >> EmptyOperator(task_id="after")
"""


def write(dags_folder, tmp_path, name: str, files: int, seconds: float) -> int:
    path = dags_folder / f"{name}.py"
    source = SENSORS.format(name=name, folder=tmp_path, files=files, seconds=seconds)
    path.write_text(textwrap.dedent(source))
    publish_dag_file(path, dags_folder)
    return trigger(name)


def holders() -> dict[str | None, int]:
    with read_session() as session:
        return dict(
            session.execute(
                select(Trigger.triggerer_id, func.count()).group_by(Trigger.triggerer_id)
            ).all()
        )


def passes(scheduler: Scheduler, n: int = 3) -> None:
    for _ in range(n):
        scheduler.run_once()


def test_deferred_sensors_wait_without_a_slot_and_resume_as_the_same_try(db, dags_folder, tmp_path):
    run_pk = write(dags_folder, tmp_path, "deferred", files=2, seconds=0.5)
    passes(Scheduler(executor=InlineExecutor()))
    states = ti_states(run_pk)
    # already-due times never defer; the others hold no slot while they wait
    assert states == {"file_0": "deferred", "file_1": "deferred", "at_soon": "deferred",
                      "at_past": "success", "delta": "success", "after": None}  # fmt: skip
    assert holders() == {None: 3}
    stop = threading.Event()
    triggerer = threading.Thread(target=Triggerer(capacity=10, lease=3).run, args=(stop,))
    triggerer.start()
    try:
        for i in range(2):
            (tmp_path / f"ready_{i}").write_text("x")
        assert drive(run_pk) == "success"
    finally:
        stop.set()
        triggerer.join()
    for task_id in ("file_0", "file_1", "at_soon"):
        ti = task_instance(run_pk, task_id)
        text = log_text(ti.id, 1)
        assert ti.try_number == 1 and ti.trigger_id is None and ti.next_method is None
        assert (
            text.count("marked deferred") == 1 and text.count("[dagkeeper triggerer] trigger") == 1
        )
        assert text.count("Resuming with execute_complete") == 1
    assert holders() == {}


def start_triggerer() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dagkeeper", "triggerer", "--capacity", "100"],
        env={**os.environ, "DAGKEEPER_TRIGGERER_LEASE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_killed_triggerer_loses_nothing_and_fires_nothing_twice(db, dags_folder, tmp_path):
    files = 10
    run_pk = write(dags_folder, tmp_path, "restart", files=files, seconds=2)
    scheduler = Scheduler(executor=InlineExecutor())
    passes(scheduler)
    assert holders() == {None: files + 1}
    first = start_triggerer()
    try:
        wait_for(lambda: list(holders()) not in ([None], []) and None not in holders())
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    (held_by_first,) = holders()
    second = start_triggerer()
    try:
        wait_for(lambda: held_by_first not in holders() and None not in holders())
        for i in range(files):
            (tmp_path / f"ready_{i}").write_text("x")
        assert drive(run_pk) == "success"
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert set(ti_states(run_pk).values()) == {"success"}
    with read_session() as session:
        tries = session.scalars(
            select(TaskInstance.try_number).where(TaskInstance.dag_run_id == run_pk)
        ).all()
    assert set(tries) == {1}
    for i in range(files):
        text = log_text(task_instance(run_pk, f"file_{i}").id, 1)
        assert text.count("[dagkeeper triggerer] trigger") == 1 and text.count("Resuming with") == 1
    assert holders() == {}


TIMEOUTS = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import EmptyOperator, FileSensor

with DAG("timeouts", start_date=datetime(2024, 1, 1)):
    hard = FileSensor(task_id="hard", filepath="{folder}/never", deferrable=True,
                      poke_interval=0.05, timeout=0.3, retries=2)
    soft = FileSensor(task_id="soft", filepath="{folder}/never", deferrable=True,
                      poke_interval=0.05, timeout=0.3, soft_fail=True)
    hard >> EmptyOperator(task_id="after_hard")
    soft >> EmptyOperator(task_id="after_soft")
"""


TIME_TIMEOUTS = """
from datetime import datetime, timedelta
from dagkeeper import DAG
from dagkeeper.operators import DateTimeSensor, EmptyOperator, TimeDeltaSensorAsync

with DAG("time_timeouts", start_date=datetime(2024, 1, 1)):
    hard = DateTimeSensor(task_id="hard", target_time="2999-01-01T00:00:00+00:00",
                          deferrable=True, timeout=0.3, retries=2)
    soft = TimeDeltaSensorAsync(task_id="soft", delta=timedelta(days=365 * 900), timeout=0.3,
                                soft_fail=True)
    hard >> EmptyOperator(task_id="after_hard")
    soft >> EmptyOperator(task_id="after_soft")
"""

TIMEOUT_SOURCES = {"timeouts": TIMEOUTS, "time_timeouts": TIME_TIMEOUTS}


@pytest.mark.parametrize("name", list(TIMEOUT_SOURCES))
def test_a_deferred_sensor_times_out_in_the_triggerer(name, db, dags_folder, tmp_path):
    """Its timeout travels with the trigger (a file's or a time's): as in poke mode, failed
    without retry, or skipped with soft_fail."""
    path = dags_folder / f"{name}.py"
    path.write_text(TIMEOUT_SOURCES[name].format(folder=tmp_path))
    publish_dag_file(path, dags_folder)
    run_pk = trigger(name)
    stop = threading.Event()
    triggerer = threading.Thread(target=Triggerer(capacity=10, lease=3).run, args=(stop,))
    triggerer.start()
    try:
        assert drive(run_pk) == "failed"
    finally:
        stop.set()
        triggerer.join()
    assert ti_states(run_pk) == {
        "hard": "failed", "after_hard": "upstream_failed", "soft": "skipped", "after_soft": "skipped"
    }  # fmt: skip
    hard = task_instance(run_pk, "hard")
    assert hard.try_number == 1 and "Sensor has timed out" in log_text(hard.id, 1)


def test_a_cleared_deferred_task_leaves_no_trigger_behind(db, dags_folder, tmp_path):
    """Its trigger would otherwise wait (and be held) until due, for nothing."""
    run_pk = write(dags_folder, tmp_path, "orphans", files=1, seconds=3600)
    passes(Scheduler(executor=InlineExecutor()))
    assert holders() == {None: 2}
    with transaction() as session:  # what clearing the two deferred tasks writes
        for ti in session.scalars(
            select(TaskInstance).where(
                TaskInstance.dag_run_id == run_pk, TaskInstance.state == "deferred"
            )
        ):
            ti.state = None
    stop = threading.Event()
    triggerer = threading.Thread(target=Triggerer(capacity=10, lease=0.3).run, args=(stop,))
    triggerer.start()
    try:
        wait_for(lambda: holders() == {})
    finally:
        stop.set()
        triggerer.join()

"""The sensor semantics table: poke vs reschedule, timeouts across reschedules, soft fail,
backoff and XComs, run for real by the scheduler and the runner on both databases.

Each sensor appends one line per poke (``<pid>``) to a file, so a case can tell how
often it poked and whether the pokes shared one process (poke mode holds its slot)
or each had its own (reschedule mode frees it between pokes).
"""

from __future__ import annotations

import json
import textwrap
import time

import pytest
from sqlalchemy import select

from dagkeeper.authoring.sensors import next_poke_interval
from dagkeeper.db import read_session
from dagkeeper.models import RETURN_KEY, RunState, TaskInstance, TaskInstanceHistory, XCom
from dagkeeper.scheduler.loop import Scheduler

from .factories import log_text, publish_dag_file, run_state, task_instance, ti_states, trigger
from .inline import InlineExecutor

HEADER = """
import os
from datetime import datetime, timedelta
from pathlib import Path
from dagkeeper import DAG, task
from dagkeeper.operators import (
    BashSensor, EmptyOperator, PokeReturnValue, PythonSensor, TaskFailed,
)

POKES = Path({pokes!r})

def poke_until(n):
    def poke():
        with POKES.open("a") as f:
            f.write(f"{{os.getpid()}}\\n")
        return len(POKES.read_text().splitlines()) >= n
    return poke

with DAG("{name}", start_date=datetime(2024, 1, 1)):
"""

S, F, K = "success", "failed", "skipped"

# name: (body, task states, run state, pokes, distinct poke processes, try number of "wait")
CASES = {
    "poke_mode_holds_one_process": (
        """
        wait = PythonSensor(task_id="wait", python_callable=poke_until(3), poke_interval=0.01)
        wait >> EmptyOperator(task_id="after")
        """,
        {"wait": S, "after": S},
        S,
        3,
        1,
        1,
    ),
    "reschedule_mode_frees_the_slot_between_pokes_same_try": (
        """
        wait = PythonSensor(task_id="wait", python_callable=poke_until(3), poke_interval=0,
                            mode="reschedule", retries=2)
        wait >> EmptyOperator(task_id="after")
        """,
        {"wait": S, "after": S},
        S,
        3,
        3,
        1,
    ),
    "timeout_counts_across_reschedules_and_fails_without_retry": (
        """
        wait = PythonSensor(task_id="wait", python_callable=poke_until(10**6), mode="reschedule",
                            poke_interval=0.05, timeout=0.3, retries=3)
        wait >> EmptyOperator(task_id="after")
        """,
        {"wait": F, "after": "upstream_failed"},
        F,
        None,
        None,
        1,
    ),
    "timeout_in_poke_mode_fails": (
        """
        PythonSensor(task_id="wait", python_callable=poke_until(10**6), poke_interval=0.05,
                     timeout=0.2, retries=2)
        """,
        {"wait": F},
        F,
        None,
        1,
        1,
    ),
    "soft_fail_skips_on_timeout": (
        """
        wait = PythonSensor(task_id="wait", python_callable=poke_until(10**6), mode="reschedule",
                            poke_interval=0.05, timeout=0.2, soft_fail=True)
        wait >> EmptyOperator(task_id="after")
        """,
        {"wait": K, "after": K},
        S,
        None,
        None,
        1,
    ),
    "an_error_in_poke_retries_as_a_new_try": (
        """
        def broken():
            with POKES.open("a") as f:
                f.write(f"{os.getpid()}\\n")
            if len(POKES.read_text().splitlines()) < 2:
                raise ValueError("not yet")
            return True
        PythonSensor(task_id="wait", python_callable=broken, mode="reschedule", retries=1,
                     retry_delay=0)
        """,
        {"wait": S},
        S,
        2,
        2,
        2,
    ),
    "bash_sensor_pokes_until_exit_zero": (
        """
        BashSensor(task_id="wait", mode="reschedule", poke_interval=0,
                   bash_command=f"echo $$ >> {POKES}; test $(wc -l < {POKES}) -ge 2")
        """,
        {"wait": S},
        S,
        2,
        2,
        1,
    ),
}


def drive(run_pk: int, limit: float = 60.0) -> str:
    """Scheduler passes (tries run inline) until the run ends; sleeps while pokes are not due."""
    scheduler = Scheduler(executor=InlineExecutor())
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        scheduler.run_once()
        state = run_state(run_pk)
        if state in RunState.FINISHED:
            return state
        time.sleep(0.02)
    raise AssertionError(f"run {run_pk} did not finish: {ti_states(run_pk)}")


def run_case(dags_folder, tmp_path, name: str, body: str) -> int:
    pokes = tmp_path / "pokes.txt"
    pokes.touch()
    source = HEADER.format(pokes=str(pokes), name=name) + textwrap.indent(
        textwrap.dedent(body), "    "
    )
    path = dags_folder / f"{name}.py"
    path.write_text(source)
    publish_dag_file(path, dags_folder)
    return trigger(name)


@pytest.mark.parametrize("name", list(CASES))
def test_sensor_semantics(db, dags_folder, tmp_path, name):
    body, states, final, pokes, processes, try_number = CASES[name]
    run_pk = run_case(dags_folder, tmp_path, name, body)
    assert drive(run_pk) == final
    assert ti_states(run_pk) == states
    lines = (tmp_path / "pokes.txt").read_text().split()
    if pokes is not None:
        assert len(lines) == pokes
    else:
        assert len(lines) >= 2  # it poked more than once before timing out
    if processes is not None:
        assert len(set(lines)) == processes
    wait = task_instance(run_pk, "wait")
    assert wait.try_number == try_number
    with read_session() as session:
        earlier = session.scalars(
            select(TaskInstanceHistory.try_number).where(
                TaskInstanceHistory.task_instance_id == wait.id
            )
        ).all()
    assert earlier == list(range(1, try_number))  # reschedules archived no try
    if name.startswith("timeout"):
        assert "Sensor has timed out" in log_text(wait.id, 1)


def test_a_rescheduled_sensor_logs_each_poke_in_its_one_try(db, dags_folder, tmp_path):
    body, *_ = CASES["reschedule_mode_frees_the_slot_between_pokes_same_try"]
    run_pk = run_case(dags_folder, tmp_path, "relog", body)
    drive(run_pk)
    text = log_text(task_instance(run_pk, "wait").id, 1)
    assert text.count("marked up_for_reschedule") == 2
    assert text.count("Success criteria met") == 1


def test_poke_return_value_is_the_sensors_xcom(db, dags_folder, tmp_path):
    body = """
    @task.sensor(poke_interval=0, mode="reschedule")
    def wait():
        n = len(POKES.read_text().splitlines()) + 1
        POKES.write_text("x\\n" * n)
        return PokeReturnValue(is_done=n >= 2, xcom_value={"pokes": n})

    @task
    def use(found):
        return found["pokes"] * 10

    use(wait())
    """
    run_pk = run_case(dags_folder, tmp_path, "xcoms", body)
    assert drive(run_pk) == S
    with read_session() as session:
        values = dict(
            session.execute(
                select(TaskInstance.task_id, XCom.value)
                .join(XCom, XCom.task_instance_id == TaskInstance.id)
                .where(TaskInstance.dag_run_id == run_pk, XCom.key == RETURN_KEY)
            ).all()
        )
    assert {k: json.loads(v) for k, v in values.items()} == {"wait": {"pokes": 2}, "use": 20}


def test_a_cleared_rescheduled_sensor_starts_a_new_try(db, dags_folder, tmp_path):
    """A clear between pokes resets the pause: the next queueing starts try 2, poke count 0."""
    body = """
    PythonSensor(task_id="wait", python_callable=poke_until(10**6), mode="reschedule",
                 poke_interval=3600)
    """
    run_pk = run_case(dags_folder, tmp_path, "cleared", body)
    scheduler = Scheduler(executor=InlineExecutor())
    scheduler.run_once()
    scheduler.run_once()
    wait = task_instance(run_pk, "wait")
    assert (wait.state, wait.try_number, wait.poke_count) == ("up_for_reschedule", 1, 1)
    from dagkeeper.db import transaction

    with transaction() as session:  # what api/clear.py does to a task instance
        ti = session.get(TaskInstance, wait.id)
        ti.state = None
    scheduler.run_once()
    scheduler.run_once()
    wait = task_instance(run_pk, "wait")
    assert (wait.state, wait.try_number, wait.poke_count) == ("up_for_reschedule", 2, 1)


# (poke_interval, poke_count, max_wait, timeout, elapsed) -> delay bounds [low, high)
BACKOFF = [
    ((10, 1, None, 3600, 0), (1, 2)),  # 10 * 2**-1 = 5 -> [5, 10)
    ((10, 2, None, 3600, 0), (10, 20)),
    ((10, 3, None, 3600, 0), (20, 40)),
    ((10, 6, None, 3600, 0), (160, 320)),
    ((10, 6, 60, 3600, 0), (60, 61)),  # capped by max_wait
    ((10, 6, None, 100, 70), (30, 31)),  # never past the timeout
    ((0.1, 1, None, 3600, 0), (1, 2)),  # never below 1 s, as in the peer
]


@pytest.mark.parametrize(("args", "bounds"), BACKOFF)
def test_exponential_backoff_delays(args, bounds):
    poke_interval, poke_count, max_wait, timeout, elapsed = args
    delay = next_poke_interval(poke_interval, True, max_wait, timeout, elapsed, poke_count, "d#t")
    again = next_poke_interval(poke_interval, True, max_wait, timeout, elapsed, poke_count, "d#t")
    low, high = bounds
    if poke_count == 1 and poke_interval == 10:
        low, high = 5, 10
    assert low <= delay < high and delay == again
    assert next_poke_interval(poke_interval, False, max_wait, timeout, elapsed, poke_count, "") == (
        poke_interval
    )


def test_exponential_backoff_sets_the_stored_next_poke(db, dags_folder, tmp_path):
    body = """
    PythonSensor(task_id="wait", python_callable=poke_until(10**6), mode="reschedule",
                 poke_interval=100, exponential_backoff=True, max_wait=150)
    """
    run_pk = run_case(dags_folder, tmp_path, "backoff", body)
    scheduler = Scheduler(executor=InlineExecutor())
    scheduler.run_once()
    scheduler.run_once()
    wait = task_instance(run_pk, "wait")
    delay = (wait.next_poke_at - wait.end_date).total_seconds()
    assert wait.state == "up_for_reschedule" and 50 <= delay < 101
    assert wait.first_poke_at is not None and wait.first_poke_at <= wait.end_date

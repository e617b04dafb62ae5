"""Whole runs: scheduler + local executor + runner against real DAG files, on both databases."""

import json
import os
import signal
import textwrap

from sqlalchemy import select

from dagkeeper.db import read_session, transaction
from dagkeeper.models import (
    ChangeKind,
    DagRun,
    RenderedTaskFields,
    RunState,
    TaskInstance,
    TaskInstanceHistory,
    XCom,
    archive_try,
    record_change,
)

from .factories import (
    finished,
    log_text,
    publish_dag_file,
    running_scheduler,
    task_instance,
    ti_states,
    trigger,
    wait_for,
)

PIPELINE = """
from datetime import datetime
from dagkeeper import DAG, task
from dagkeeper.operators import BashOperator, EmptyOperator

with DAG("pipeline", start_date=datetime(2024, 1, 1), params={"who": "world"}) as dag:
    start = EmptyOperator(task_id="start")
    greet = BashOperator(
        task_id="greet", bash_command="echo hello {{ params.who }} on {{ ds }} {{ dag_run.conf }}"
    )

    @task
    def extract():
        return {"n": 3}

    @task
    def double(data):
        print("doubling", data)
        return data["n"] * 2

    value = double(extract())
    end = EmptyOperator(task_id="end")
    start >> greet >> value >> end
"""


def write_dag(dags_folder, name, source):
    path = dags_folder / name
    path.write_text(textwrap.dedent(source))
    return path


def test_a_triggered_run_renders_templates_passes_results_and_succeeds(db, dags_folder):
    publish_dag_file(write_dag(dags_folder, "pipeline.py", PIPELINE), dags_folder)
    run_pk = trigger("pipeline", conf=json.dumps({"who": "there"}))
    with running_scheduler():
        assert wait_for(lambda: finished(run_pk)) == RunState.SUCCESS
    assert set(ti_states(run_pk).values()) == {"success"}
    greet = task_instance(run_pk, "greet")
    with read_session() as session:
        rendered = session.get(RenderedTaskFields, (greet.id, 1))
        double = task_instance(run_pk, "double")
        result = session.get(XCom, (double.id, "return_value"))
    assert json.loads(rendered.rendered)["bash_command"].startswith("echo hello there on 20")
    assert "hello there on" in log_text(greet.id, 1)
    assert json.loads(rendered.rendered)["bash_command"].endswith("{'who': 'there'}")
    assert "doubling {'n': 3}" in log_text(double.id, 1)
    assert json.loads(result.value) == 6
    assert (greet.try_number, greet.hostname is not None, greet.pid is not None) == (1, True, True)


FLAKY = """
from datetime import datetime, timedelta
from dagkeeper import DAG
from dagkeeper.operators import BashOperator, PythonOperator

def fail_first_try(ti):
    if ti.try_number == 1:
        raise RuntimeError("first try always fails")
    print("second try works")

with DAG("flaky", start_date=datetime(2024, 1, 1)):
    PythonOperator(task_id="flaky", python_callable=fail_first_try, retries=1, retry_delay=0)
    BashOperator(task_id="slow", bash_command="sleep 30", execution_timeout=timedelta(seconds=1))
    BashOperator(task_id="skipper", bash_command="exit 99") >> BashOperator(
        task_id="after_skip", bash_command="echo never"
    )
"""


def test_retries_timeouts_and_skips_end_in_the_right_states(db, dags_folder):
    publish_dag_file(write_dag(dags_folder, "flaky.py", FLAKY), dags_folder)
    run_pk = trigger("flaky")
    with running_scheduler():
        assert wait_for(lambda: finished(run_pk)) == RunState.FAILED
    assert ti_states(run_pk) == {
        "flaky": "success",
        "slow": "failed",
        "skipper": "skipped",
        "after_skip": "skipped",
    }
    flaky = task_instance(run_pk, "flaky")
    with read_session() as session:
        history = session.execute(
            select(TaskInstanceHistory.try_number, TaskInstanceHistory.state).where(
                TaskInstanceHistory.task_instance_id == flaky.id
            )
        ).all()
    assert flaky.try_number == 2
    assert [tuple(h) for h in history] == [(1, "failed")]
    assert "RuntimeError: first try always fails" in log_text(flaky.id, 1)
    assert "marked up_for_retry" in log_text(flaky.id, 1)
    assert "second try works" in log_text(flaky.id, 2)
    assert "Task timed out after 1 s" in log_text(task_instance(run_pk, "slow").id, 1)


def test_a_task_whose_dag_file_broke_fails_with_a_clear_log_message(db, dags_folder):
    path = write_dag(dags_folder, "pipeline.py", PIPELINE)
    publish_dag_file(path, dags_folder)
    path.write_text("this is not python (\n")
    run_pk = trigger("pipeline")
    with running_scheduler():
        assert wait_for(lambda: finished(run_pk)) == RunState.FAILED
    start = task_instance(run_pk, "start")
    assert start.state == "failed"
    assert f"DAG file {path} failed to import" in log_text(start.id, 1)
    assert "SyntaxError" in log_text(start.id, 1)
    assert ti_states(run_pk)["end"] == "upstream_failed"


SLEEPER = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import BashOperator

with DAG("sleeper", start_date=datetime(2024, 1, 1)):
    BashOperator(task_id="sleep", bash_command="sleep 60")
"""


def test_a_killed_runner_fails_its_try_with_a_log_line(db, dags_folder):
    publish_dag_file(write_dag(dags_folder, "sleeper.py", SLEEPER), dags_folder)
    run_pk = trigger("sleeper")
    with running_scheduler():
        ti = wait_for(lambda: (t := task_instance(run_pk, "sleep")) and t.state == "running" and t)
        os.kill(ti.pid, signal.SIGKILL)
        assert wait_for(lambda: finished(run_pk)) == RunState.FAILED
    assert "was killed by signal 9 without recording a state" in log_text(ti.id, 1)


def test_a_cleared_task_instance_runs_again(db, dags_folder):
    publish_dag_file(write_dag(dags_folder, "pipeline.py", PIPELINE), dags_folder)
    run_pk = trigger("pipeline")
    with running_scheduler():
        assert wait_for(lambda: finished(run_pk)) == RunState.SUCCESS
        with transaction() as session:  # what the API's clear does
            ti = session.scalar(
                select(TaskInstance).where(
                    TaskInstance.dag_run_id == run_pk, TaskInstance.task_id == "end"
                )
            )
            archive_try(session, ti)
            ti.state = None
            ti.max_tries = ti.try_number + 1
            run = session.get(DagRun, run_pk)
            run.state, run.end_date = RunState.RUNNING, None
            record_change(session, [("pipeline", ChangeKind.RUN)])
        assert wait_for(lambda: finished(run_pk)) == RunState.SUCCESS
    end = task_instance(run_pk, "end")
    assert (end.state, end.try_number) == ("success", 2)

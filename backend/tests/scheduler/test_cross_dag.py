"""Cross-DAG: a task triggers another DAG's run (with conf), and a sensor waits for another
DAG's task at the same logical date, run by the real scheduler and runner on both databases."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, datetime

from sqlalchemy import select

from dagkeeper.db import read_session
from dagkeeper.models import DagRun, TaskInstance, XCom

from .factories import publish_dag_file, running_scheduler, ti_states, trigger, wait_for
from .test_sensors import drive

DAGS = """
from datetime import datetime
from dagkeeper import DAG, task
from dagkeeper.operators import ExternalTaskSensor, TriggerDagRunOperator

with DAG("child", start_date=datetime(2024, 1, 1), params={{"n": 1}}):
    @task
    def double(**context):
        return context["dag_run"].conf["n"] * 2
    double()

with DAG("parent", start_date=datetime(2024, 1, 1)):
    TriggerDagRunOperator(task_id="kick", trigger_dag_id="child", conf={{"n": 21}},
                          trigger_run_id="from_parent", wait_for_completion={wait},
                          poke_interval=0.2)

with DAG("follower", start_date=datetime(2024, 1, 1)):
    ExternalTaskSensor(task_id="after_parent", external_dag_id="parent", external_task_id="kick",
                       mode="reschedule", poke_interval=0, timeout=60)
    ExternalTaskSensor(task_id="whole_child", external_dag_id="child", poke_interval=0.01,
                       timeout=0.2, soft_fail=True)
"""
MOMENT = datetime(2024, 6, 1, tzinfo=UTC)


def publish(dags_folder, wait: bool) -> None:
    path = dags_folder / "cross.py"
    path.write_text(textwrap.dedent(DAGS.format(wait=wait)))
    publish_dag_file(path, dags_folder)


def child_run() -> tuple:
    with read_session() as session:
        return session.execute(
            select(DagRun.run_id, DagRun.state, DagRun.conf, XCom.value)
            .join(TaskInstance, TaskInstance.dag_run_id == DagRun.id)
            .join(XCom, XCom.task_instance_id == TaskInstance.id, isouter=True)
            .where(DagRun.dag_id == "child")
        ).one()


def xcoms_of(run_pk: int) -> dict[str, object]:
    with read_session() as session:
        rows = session.execute(
            select(XCom.key, XCom.value)
            .join(TaskInstance, TaskInstance.id == XCom.task_instance_id)
            .where(TaskInstance.dag_run_id == run_pk)
        ).all()
    return {key: json.loads(value) for key, value in rows}


def test_trigger_dag_run_queues_the_other_dag_with_conf_and_a_sensor_follows(db, dags_folder):
    publish(dags_folder, wait=False)
    parent = trigger("parent", logical_date=MOMENT)
    assert drive(parent) == "success"
    pushed = xcoms_of(parent)
    assert sorted(pushed) == ["trigger_logical_date", "trigger_run_id"]
    assert pushed["trigger_run_id"] == "from_parent"
    follower = trigger("follower", logical_date=MOMENT)
    assert drive(follower) == "success"
    # the child run was queued by the parent; the whole-run sensor gave up softly
    assert ti_states(follower) == {"after_parent": "success", "whole_child": "skipped"}
    run_id, _, conf, _ = child_run()
    assert (run_id, json.loads(conf)) == ("from_parent", {"n": 21})


def test_a_second_trigger_of_the_same_run_fails_the_task(db, dags_folder):
    publish(dags_folder, wait=False)
    first = trigger("parent", run_id="one", logical_date=MOMENT)
    assert drive(first) == "success"
    second = trigger("parent", run_id="two", logical_date=datetime(2024, 6, 2, tzinfo=UTC))
    assert drive(second) == "failed"  # trigger_run_id "from_parent" exists already


def test_wait_for_completion_waits_for_the_triggered_run(db, dags_folder):
    publish(dags_folder, wait=True)
    parent = trigger("parent", logical_date=MOMENT)
    with running_scheduler():
        wait_for(lambda: ti_states(parent) == {"kick": "success"}, timeout=60)
    run_id, state, _, value = child_run()
    assert (run_id, state, json.loads(value)) == ("from_parent", "success", 42)

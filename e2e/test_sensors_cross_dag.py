"""Sensors' waiting states and cross-DAG links, as a user sees them (issue 17).

One DAG triggers another and has two sensors that keep waiting: one between
pokes (``up_for_reschedule``), one handed to the triggerer (``deferred``).
The grid shows both states with the legend's names, and the trigger task's
drawer links to the run it queued. DAG ids start with ``xdag_``.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

PARENT = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import DateTimeSensor, PythonSensor, TriggerDagRunOperator

with DAG("xdag_parent", start_date=datetime(2024, 1, 1)):
    TriggerDagRunOperator(task_id="kick", trigger_dag_id="xdag_child",
                          trigger_run_id="from_parent_e2e", conf={"n": 1})
    PythonSensor(task_id="poking", python_callable=lambda: False, mode="reschedule",
                 poke_interval=3600)
    DateTimeSensor(task_id="later", target_time="2100-01-01T00:00:00+00:00", deferrable=True)
"""
CHILD = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import EmptyOperator

with DAG("xdag_child", start_date=datetime(2024, 1, 1)):
    EmptyOperator(task_id="only")
"""
TIMEOUT = 60


def states(stack, run_id: str) -> dict:
    reply = stack.get(f"/api/v1/dags/xdag_parent/dagRuns/{run_id}/taskInstances")
    return {t["task_id"]: t["state"] for t in reply.body.get("task_instances", [])}


def test_waiting_sensors_show_in_the_grid_and_a_trigger_links_to_its_run(stack, page: Page):
    stack.write_dag("xdag_child.py", CHILD)
    stack.write_dag("xdag_parent.py", PARENT)
    stack.wait_for(lambda: stack.get("/api/v1/dags/xdag_parent").status == 200
                   and stack.get("/api/v1/dags/xdag_child").status == 200, TIMEOUT, "published")  # fmt: skip
    reply = stack.request("POST", "/api/v1/dags/xdag_parent/dagRuns", body={"run_id": "waits"})
    assert reply.status == 201, reply.body
    expected = {"kick": "success", "poking": "up_for_reschedule", "later": "deferred"}
    stack.wait_for(lambda: states(stack, "waits") == expected, TIMEOUT, "sensors waiting")
    try:
        page.goto(f"{stack.base_url}/dags/xdag_parent/grid")
        for task_id, state in expected.items():
            cell = page.locator(
                f'[data-testid="grid-cell"][data-task-id="{task_id}"][data-run-id="waits"]'
            )
            expect(cell).to_have_attribute("data-state", state)
        legend = page.get_by_label("State colours")
        expect(legend).to_contain_text("up for reschedule")
        expect(legend).to_contain_text("deferred")
        page.goto(f"{stack.base_url}/dags/xdag_parent/grid?run_id=waits&task_id=kick")
        link = page.locator('[data-testid="cross-dag-link"]')
        expect(link).to_have_text("Triggered run from_parent_e2e of xdag_child →")
        link.click()
        expect(page).to_have_url(
            f"{stack.base_url}/dags/xdag_child/grid?run_id=from_parent_e2e&panel=run"
        )
    finally:  # leave no run waiting for a year
        stack.request("PATCH", "/api/v1/dags/xdag_parent/dagRuns/waits", body={"state": "failed"})

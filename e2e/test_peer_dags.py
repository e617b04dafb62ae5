"""A DAG written for the peer, converted with ``dagkeeper convert``, as the UI shows it.

Edge labels are drawn on their edges, the branch not taken shows as skipped
in graph and grid, and setup and teardown tasks have their own look.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from dagkeeper.convert import convert_source
from test_views import cell, node, trigger, wait_finished, wait_version

PEER_SOURCE = """
import pendulum
from airflow.sdk import DAG, Label, task
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.utils.trigger_rule import TriggerRule

with DAG("peer_branching", schedule=None, start_date=pendulum.datetime(2024, 1, 1, tz="UTC")):
    create = EmptyOperator(task_id="create_cluster").as_setup()

    @task.branch
    def choose():
        return "fast"

    fast, slow = EmptyOperator(task_id="fast"), EmptyOperator(task_id="slow")
    join = EmptyOperator(task_id="join", trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
    delete = EmptyOperator(task_id="delete_cluster").as_teardown(setups=create)
    branch = choose()
    create >> branch
    branch >> Label("quick path") >> fast >> join
    branch >> Label("careful path") >> slow >> join
    join >> delete
"""


@pytest.fixture(scope="module")
def peer_run(stack) -> str:
    converted, unmapped = convert_source(PEER_SOURCE)
    assert unmapped == []
    stack.write_dag("peer_branching.py", converted)
    wait_version(stack, "peer_branching", 1)
    run_id = trigger(stack, "peer_branching", run_id="peer_1")["run_id"]
    assert wait_finished(stack, "peer_branching", run_id) == "success"
    return run_id


def test_graph_draws_edge_labels_skipped_branches_and_setup_teardown(
    stack, peer_run, page: Page, screenshot
):
    page.goto(f"{stack.base_url}/dags/peer_branching/graph?run_id={peer_run}")
    labels = page.locator('[data-testid="graph-edge-label"]')
    expect(labels).to_have_count(2)
    expect(page.locator('[data-testid="graph-edge-label"][data-edge="choose->fast"]')).to_have_text(
        "quick path"
    )
    expect(node(page, "slow")).to_have_attribute("data-state", "skipped")
    expect(node(page, "fast")).to_have_attribute("data-state", "success")
    expect(node(page, "join")).to_have_attribute("data-state", "success")
    expect(node(page, "create_cluster")).to_have_attribute("data-role", "setup")
    expect(node(page, "delete_cluster")).to_have_attribute("data-role", "teardown")
    expect(node(page, "delete_cluster")).to_contain_text("↘ delete_cluster")
    dashed = page.locator('[data-edge="create_cluster->delete_cluster"]')
    assert "4" in dashed.evaluate("e => getComputedStyle(e).strokeDasharray")
    screenshot("graph-branching")


def test_grid_shows_the_skipped_branch_and_the_setup_teardown_marks(stack, peer_run, page: Page):
    page.goto(f"{stack.base_url}/dags/peer_branching/grid")
    expect(cell(page, "slow", peer_run)).to_have_attribute("data-state", "skipped")
    expect(cell(page, "fast", peer_run)).to_have_attribute("data-state", "success")
    setup_label = page.locator(
        '[data-testid="grid-row"][data-task-id="create_cluster"] [data-role]'
    )
    expect(setup_label).to_have_attribute("data-role", "setup")
    expect(setup_label).to_have_text("↗ create_cluster")

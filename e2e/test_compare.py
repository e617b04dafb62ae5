"""What changed between two versions, as a user sees it (issue 18): the graph overlay of a DAG
whose file is edited during the test, its change list, and the versions view's structure and
code diff."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from test_views import wait_version

V1 = """
from datetime import datetime
from dagkeeper import DAG, TaskGroup
from dagkeeper.operators import BashOperator, EmptyOperator

with DAG("cmp_deploy", schedule=None, start_date=datetime(2024, 1, 1), tags=["cmp"]):
    start = EmptyOperator(task_id="start")
    with TaskGroup("stage"):
        fetch = BashOperator(task_id="fetch", bash_command="echo fetch", retries=1)
        legacy = EmptyOperator(task_id="legacy")
    publish = EmptyOperator(task_id="publish")
    start >> fetch >> legacy >> publish
"""

V2 = """
from datetime import datetime
from dagkeeper import DAG, TaskGroup
from dagkeeper.operators import BashOperator, EmptyOperator

with DAG("cmp_deploy", schedule=None, start_date=datetime(2024, 1, 1), tags=["cmp"]):
    start = EmptyOperator(task_id="start")
    with TaskGroup("stage"):
        fetch = BashOperator(task_id="fetch", bash_command="echo fetch", retries=3)
        validate = EmptyOperator(task_id="validate")
    publish = EmptyOperator(task_id="publish")
    start >> fetch >> validate >> publish
"""


@pytest.fixture(scope="module")
def edited(stack):
    """cmp_deploy published as v1, then its file edited to v2 while the stack runs."""
    stack.write_dag("cmp_deploy.py", V1)
    wait_version(stack, "cmp_deploy", 1)
    stack.write_dag("cmp_deploy.py", V2)
    wait_version(stack, "cmp_deploy", 2)
    return "cmp_deploy"


def graph_node(page: Page, task_id: str):
    return page.locator(f'[data-testid="graph-node"][data-task-id="{task_id}"]')


def test_diff_api_names_what_the_edit_changed(stack, edited):
    body = stack.get(f"/ui/diff/{edited}?from=1&to=2").body
    assert body["tasks"] == {
        "added": ["stage.validate"],
        "removed": ["stage.legacy"],
        "changed": [{"task_id": "stage.fetch", "fields": ["retries"]}],
    }
    assert body["edges"]["added"] == [
        ["stage.fetch", "stage.validate"],
        ["stage.validate", "publish"],
    ]


def test_graph_overlays_a_comparison_with_a_legend_and_a_list_that_zooms(
    stack, edited, page: Page, screenshot
):
    page.goto(f"{stack.base_url}/dags/{edited}/graph")
    expect(graph_node(page, "stage.validate")).to_be_visible()
    page.get_by_test_id("compare-select").select_option("1")
    expect(page).to_have_url(f"{stack.base_url}/dags/{edited}/graph?compare=1")
    expect(graph_node(page, "stage.validate")).to_have_attribute("data-diff", "added")
    expect(graph_node(page, "stage.legacy")).to_have_attribute("data-diff", "removed")  # ghost
    expect(graph_node(page, "stage.fetch")).to_have_attribute("data-diff", "changed")
    expect(graph_node(page, "start")).not_to_have_attribute("data-diff", "added")
    edge = page.locator('[data-testid="graph-edge"][data-edge="stage.legacy->publish"]')
    expect(edge).to_have_attribute("data-diff", "removed")
    panel = page.get_by_test_id("compare-panel")
    expect(panel).to_contain_text("v1 → v2")
    expect(panel.get_by_label("Comparison legend")).to_contain_text("removed (ghost)")
    items = panel.get_by_test_id("compare-item")
    expect(items).to_have_count(7)  # 1 added, 1 removed, 1 changed task; 2 added, 2 removed edges
    changed = items.filter(has_text="stage.fetch").first
    expect(changed).to_contain_text("retries")
    changed.click()
    expect(page).to_have_url(f"{stack.base_url}/dags/{edited}/graph?compare=1&focus=stage.fetch")
    expect(graph_node(page, "stage.fetch")).to_have_class(has_class("focused"))
    screenshot("compare-graph")
    # The overlay is a link: opening it afresh draws the same comparison and focus.
    page.reload()
    expect(graph_node(page, "stage.legacy")).to_have_attribute("data-diff", "removed")
    expect(graph_node(page, "stage.fetch")).to_have_class(has_class("focused"))


def has_class(name: str) -> re.Pattern:
    return re.compile(rf"(^|\s){name}(\s|$)")


def test_versions_view_shows_structure_and_code_diff_side_by_side_or_unified(
    stack, edited, page: Page, screenshot
):
    page.goto(f"{stack.base_url}/dags/{edited}/versions")
    summary = page.get_by_test_id("structure-diff")
    expect(summary).to_contain_text("Tasks added (1)")
    expect(summary).to_contain_text("stage.validate")
    expect(summary).to_contain_text("stage.fetch (retries)")
    code = page.get_by_test_id("code-diff")
    expect(code).to_have_attribute("data-mode", "split")
    removed = code.locator('[data-diff="removed"]')
    added = code.locator('[data-diff="added"]')
    expect(removed.filter(has_text="retries=1")).to_have_count(1)
    expect(added.filter(has_text="retries=3")).to_have_count(1)
    expect(added.first.locator(".hljs-string").first).to_be_visible()  # highlighted
    screenshot("versions-diff")
    page.get_by_role("button", name="unified").click()
    expect(code).to_have_attribute("data-mode", "unified")
    expect(page).to_have_url(f"{stack.base_url}/dags/{edited}/versions?mode=unified")
    expect(removed.filter(has_text="legacy")).not_to_have_count(0)
    page.get_by_label("Compare from version").select_option("2")
    expect(summary).to_contain_text("No structural change from v2 to v2")
    expect(code).to_contain_text("The two versions have the same source.")
    page.get_by_role("link", name="Show these changes on the graph").click()
    expect(page).to_have_url(f"{stack.base_url}/dags/{edited}/graph?compare=2")

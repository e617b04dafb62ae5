"""A mapped task of 10,000 map indexes in the grid, the drawer and the graph (issue 17).

The DAG file is real (published by the processor); its 10,000 task instances
are inserted through the models (``dagkeeper.testing.mapped_history``), since
running them would take far longer than the views need.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

import dagkeeper.db
from dagkeeper.models import DagRun, TaskInstance
from dagkeeper.testing.mapped_history import WIDE_DAG, add_mapped_runs

WIDTH = 10_000


@pytest.fixture(scope="module")
def wide(stack):
    """wide_map published, with two runs whose `work` has 10,000 map indexes each.

    Their 1,000 "running" rows have no process behind them, yet hold task slots
    (parallelism, pools) as running tries do: they are removed after the module,
    so the scheduler of the shared stack runs other modules' tasks again.
    """
    stack.write_dag("wide_map.py", WIDE_DAG.format(dag_id="wide_map"))
    stack.wait_for(lambda: stack.get("/api/v1/dags/wide_map").status == 200, 60, "wide_map")
    dagkeeper.db.configure(stack.db_url)
    try:
        yield add_mapped_runs("wide_map", "work", runs=2, width=WIDTH, newest_state="failed")
        with dagkeeper.db.transaction() as session:
            runs = select(DagRun.id).where(DagRun.dag_id == "wide_map").scalar_subquery()
            session.execute(delete(TaskInstance).where(TaskInstance.dag_run_id.in_(runs)))
            session.execute(delete(DagRun).where(DagRun.dag_id == "wide_map"))
    finally:
        dagkeeper.db.dispose()


def test_a_10000_way_mapped_task_is_one_grid_row_and_pages_in_the_drawer(
    stack, wide, page: Page, screenshot
):
    _, newest = wide
    page.goto(f"{stack.base_url}/dags/wide_map/grid")
    row = page.locator('[data-testid="grid-row"][data-task-id="work"]')
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("mapped-mark")).to_be_visible()
    cell = row.locator(f'[data-testid="grid-cell"][data-run-id="{newest}"]')
    expect(cell).to_have_attribute("data-state", "failed")  # its most pressing map index
    expect(cell).to_have_attribute("title", "work · " + newest + ": failed\n10,000 map indexes: "
                                   "5,933 success, 2,967 none, 1,000 running, 100 failed")  # fmt: skip
    cell.click()
    drawer = page.get_by_test_id("ti-drawer")
    expect(drawer.get_by_test_id("mapped-counts")).to_have_text(
        "10,000 map indexes: 2,967 none, 1,000 running, 5,933 success, 100 failed"
    )
    expect(drawer.get_by_test_id("mapped-row")).to_have_count(25)  # one server page, not 10,000
    expect(drawer.get_by_role("navigation", name="Pages")).to_contain_text("1–25 of 10,000")
    drawer.get_by_test_id("mapped-filter").select_option("failed")
    expect(drawer.get_by_role("navigation", name="Pages")).to_contain_text("1–25 of 100")
    first = drawer.get_by_test_id("mapped-row").first
    expect(first).to_have_attribute("data-map-index", "99")
    screenshot("mapped-drawer")
    first.get_by_role("button", name="99").click()
    expect(drawer.get_by_role("heading", name="work [99]")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]map_index=99(&|$)"))
    drawer.get_by_test_id("mapped-back").click()
    expect(drawer.get_by_test_id("mapped-row")).to_have_count(25)


def test_the_graph_badges_the_mapped_task_with_its_count(stack, wide, page: Page):
    oldest, _ = wide
    page.goto(f"{stack.base_url}/dags/wide_map/graph?run_id={quote(oldest)}")
    node = page.locator('[data-testid="graph-node"][data-task-id="work"]')
    expect(node.get_by_test_id("mapped-badge")).to_have_text("[10,000]")
    expect(page.locator('[data-testid="graph-node"][data-task-id="total"]').get_by_test_id(
        "mapped-badge"
    )).to_have_count(0)  # fmt: skip

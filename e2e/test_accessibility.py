"""Every view passes an axe-core WCAG 2.1 AA scan with zero violations, light and dark (issue 18)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from axe import assert_accessible
from dagfiles import broken_dag, chain_dag, etl_dag
from test_views import trigger, wait_finished, wait_version


@pytest.fixture(scope="module")
def a11y(stack) -> str:
    """An ETL DAG with one finished run, an edited DAG (two versions) and a broken file."""
    stack.write_dag("a11y_etl.py", etl_dag("a11y_etl"))
    stack.write_dag("a11y_evolve.py", chain_dag("a11y_evolve", 2))
    stack.write_dag("a11y_broken.py", broken_dag("a11y_broken"))
    for dag_id in ("a11y_etl", "a11y_evolve"):
        wait_version(stack, dag_id, 1)
    stack.write_dag("a11y_evolve.py", chain_dag("a11y_evolve", 3))
    wait_version(stack, "a11y_evolve", 2)
    run_id = trigger(stack, "a11y_etl", run_id="a11y_run")["run_id"]
    wait_finished(stack, "a11y_etl", run_id)
    return run_id


VIEWS = {
    "dag list": ("/?search=a11y", "dag-list"),
    "home": ("/home", "home-health"),
    "import errors": ("/import-errors", "import-error"),
    "grid": ("/dags/a11y_etl/grid", "grid-cell"),
    "graph": ("/dags/a11y_etl/graph", "graph-node"),
    "graph comparison": ("/dags/a11y_evolve/graph?compare=1&focus=t2", "compare-panel"),
    "gantt": ("/dags/a11y_etl/gantt", "gantt-bar"),
    "calendar": ("/dags/a11y_etl/calendar", "calendar-day"),
    "runs": ("/dags/a11y_etl/runs", "run-row"),
    "code": ("/dags/a11y_etl/code", "code-source"),
    "details": ("/dags/a11y_etl/details", "doc-md"),
    "versions and diff": ("/dags/a11y_evolve/versions", "code-diff"),
    "task drawer": ("/dags/a11y_etl/grid?run_id=a11y_run&task_id=load", "task-history"),
    "run drawer": ("/dags/a11y_etl/grid?run_id=a11y_run&panel=run", "run-drawer"),
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_view_has_no_axe_violations(stack, a11y, page: Page, view: str, scheme: str):
    path, ready = VIEWS[view]
    page.emulate_media(color_scheme=scheme)
    page.goto(stack.base_url + path)
    expect(page.get_by_test_id(ready).first).to_be_visible()
    assert_accessible(page, f"{view} ({scheme})")


NARROW = ["home", "gantt", "calendar", "versions and diff", "graph comparison", "task drawer"]


@pytest.mark.parametrize("view", NARROW)
def test_new_views_fit_a_420_px_window(stack, a11y, page: Page, view: str):
    path, ready = VIEWS[view]
    page.set_viewport_size({"width": 420, "height": 800})
    page.goto(stack.base_url + path)
    expect(page.get_by_test_id(ready).first).to_be_visible()
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{view} is {overflow} px wider than a 420 px window"

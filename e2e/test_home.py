"""The home page against its own stack (issue 18): every component's health from heartbeats, a
scheduler stopped mid-test shown as down without a reload, the last hours by state, import
errors and the most-failing DAG."""

from __future__ import annotations

import os
import signal

import pytest
from playwright.sync_api import Page, expect

from conftest import log_in
from dagfiles import bash_chain_dag, broken_dag
from dagkeeper.testing.stack import Stack
from test_views import assert_not_reloaded, no_reload_marker, trigger, wait_finished

FAILING = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import BashOperator

with DAG("home_flaky", schedule=None, start_date=datetime(2024, 1, 1), tags=["home"]):
    BashOperator(task_id="breaks", bash_command="exit 3")
"""


@pytest.fixture(scope="module")
def home_stack(tmp_path_factory):
    """A stack of its own (SQLite) beating every half second, so its scheduler may be stopped."""
    root = tmp_path_factory.mktemp("home-stack")
    running = Stack(
        root,
        f"sqlite:///{root / 'home.db'}",
        workers=2,
        DAGKEEPER_COMPONENT_HEARTBEAT_INTERVAL="0.5",
    )
    try:
        running.start()
        running.write_dag("home_ok.py", bash_chain_dag("home_ok", 2))
        running.write_dag("home_flaky.py", FAILING)
        running.write_dag("home_broken.py", broken_dag("home_broken"))
        for dag_id in ("home_ok", "home_flaky"):
            running.wait_for(lambda d=dag_id: running.get(f"/api/v1/dags/{d}").status == 200, 30)
        for dag_id in ("home_ok", "home_flaky"):
            run_id = trigger(running, dag_id)["run_id"]
            wait_finished(running, dag_id, run_id)
        yield running
    finally:
        running.stop()


@pytest.fixture
def context(browser, browser_context_args, home_stack):
    """Pages of this module start logged in to the home stack (not the suite's shared one)."""
    own = browser.new_context(**browser_context_args)
    yield log_in(own, home_stack)
    own.close()


def component(page: Page, kind: str):
    return page.locator(f'[data-testid="home-component"][data-kind="{kind}"]')


def test_home_shows_health_runs_errors_and_a_stopped_scheduler_as_down(
    home_stack, page: Page, screenshot
):
    page.goto(f"{home_stack.base_url}/")
    page.get_by_role("link", name="Home", exact=True).click()
    expect(page).to_have_url(f"{home_stack.base_url}/home")
    expect(component(page, "processor")).to_have_attribute("data-healthy", "true")
    expect(component(page, "scheduler")).to_have_attribute("data-healthy", "true")
    runs = page.get_by_test_id("home-runs")
    expect(runs.locator('[data-state="success"]')).to_contain_text("1")
    expect(runs.locator('[data-state="failed"]')).to_contain_text("1")
    expect(page.get_by_test_id("home-tasks").locator('[data-state="failed"]')).to_contain_text("1")
    expect(page.get_by_test_id("home-failing").locator("tr[data-dag-id]")).to_have_count(1)
    expect(page.get_by_test_id("home-failing")).to_contain_text("home_flaky")
    expect(page.get_by_test_id("home-slowest").locator("tr[data-dag-id]")).to_have_count(2)
    errors = page.get_by_test_id("home-import-errors")
    expect(errors).to_contain_text("1 file failing to import")
    expect(errors).to_contain_text("home_broken.py")
    screenshot("home")

    no_reload_marker(page)
    scheduler = next(c for c in home_stack.supervisor.children if c.name == "scheduler")
    os.killpg(scheduler.process.pid, signal.SIGTERM)
    scheduler.process.wait(10)
    expect(component(page, "scheduler")).to_have_attribute("data-healthy", "false")
    expect(component(page, "scheduler")).to_contain_text("down")
    expect(component(page, "scheduler")).to_contain_text("stopped or stuck")
    expect(component(page, "processor")).to_have_attribute("data-healthy", "true")
    assert_not_reloaded(page)
    screenshot("home-scheduler-down")

    page.get_by_test_id("home-failing").get_by_role("link", name="home_flaky").click()
    expect(page).to_have_url(f"{home_stack.base_url}/dags/home_flaky/grid")
    page.goto(f"{home_stack.base_url}/home")
    page.get_by_role("link", name="All DAGs →").click()
    expect(page.get_by_test_id("dag-list")).to_be_visible()

"""Where a run's time went (issue 18): the Gantt of a run with a retry, a task's history in the
drawer, and the calendar of daily outcomes, against the real stack."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from test_views import trigger, wait_finished

RETRYING = """
from datetime import datetime, timedelta
from pathlib import Path
from dagkeeper import DAG, TaskGroup
from dagkeeper.operators import BashOperator

MARK = Path(__file__).with_name("tl_retry.marker")
with DAG("tl_retry", schedule=None, start_date=datetime(2024, 1, 1), tags=["timeline"]):
    first = BashOperator(task_id="first", bash_command="sleep 1")
    with TaskGroup("stage"):
        flaky = BashOperator(
            task_id="flaky", retries=1, retry_delay=timedelta(seconds=1),
            bash_command=f"test -f {MARK} || (touch {MARK}; exit 1)",
        )
        side = BashOperator(task_id="side", bash_command="true")
    last = BashOperator(task_id="last", bash_command="true")
    first >> [flaky, side]
    [flaky, side] >> last
"""


@pytest.fixture(scope="module")
def retried(stack) -> str:
    """tl_retry run once: stage.flaky fails its first try and succeeds on the retry."""
    stack.write_dag("tl_retry.py", RETRYING)
    stack.wait_for(lambda: stack.get("/api/v1/dags/tl_retry").status == 200, 30, "tl_retry")
    run_id = trigger(stack, "tl_retry", run_id="tl_first")["run_id"]
    assert wait_finished(stack, "tl_retry", run_id) == "success"
    return run_id


def row(page: Page, task_id: str):
    return page.locator(f'[data-testid="gantt-row"][data-task-id="{task_id}"]')


def test_gantt_shows_each_try_groups_and_the_critical_path(stack, retried, page: Page, screenshot):
    page.goto(f"{stack.base_url}/dags/tl_retry/grid")
    page.get_by_role("link", name="Gantt").click()
    expect(page).to_have_url(f"{stack.base_url}/dags/tl_retry/gantt")
    flaky = row(page, "stage.flaky")
    expect(flaky.get_by_test_id("gantt-bar")).to_have_count(2)  # the failed try and the retry
    expect(flaky.locator('[data-try="1"]')).to_have_attribute("data-state", "failed")
    expect(flaky.locator('[data-try="2"]')).to_have_attribute("data-state", "success")
    expect(page.locator('[data-testid="gantt-row"][data-group-id="stage"]')).to_be_visible()
    for task_id in ("first", "stage.flaky", "last"):
        expect(row(page, task_id)).to_have_attribute("data-critical", "true")
    expect(row(page, "stage.side")).not_to_have_attribute("data-critical", "true")
    screenshot("gantt")
    # Collapsing the group keeps its span row and hides its tasks.
    page.get_by_role("button", name="stage").click()
    expect(flaky).to_have_count(0)
    # A task's label opens its drawer, which shows its duration and tries over runs.
    page.get_by_role("button", name="last", exact=True).click()
    history = page.get_by_test_id("task-history")
    expect(history.locator(f'[data-run-id="{retried}"]')).to_have_attribute("data-state", "success")


def test_task_history_counts_the_retry(stack, retried, page: Page):
    page.goto(f"{stack.base_url}/dags/tl_retry/gantt?run_id={retried}&task_id=stage.flaky")
    bar = page.get_by_test_id("task-history").locator(f'[data-run-id="{retried}"]')
    expect(bar).to_have_attribute("data-tries", "2")
    expect(page.get_by_test_id("ti-drawer")).to_contain_text("retried in 1")


def test_calendar_shows_todays_outcome_and_the_day_on_click(stack, retried, page: Page, screenshot):
    run = stack.get(f"/api/v1/dags/tl_retry/dagRuns/{retried}").body
    today = run["logical_date"][:10]  # a manual run's logical date is when it was triggered (UTC)
    page.goto(f"{stack.base_url}/dags/tl_retry/calendar?year={today[:4]}")
    day = page.locator(f'[data-testid="calendar-day"][data-date="{today}"]')
    expect(day).to_have_attribute("data-state", "success")
    year = int(today[:4])
    expect(page.get_by_test_id("calendar-day")).to_have_count(366 if year % 4 == 0 else 365)
    day.click()
    expect(page).to_have_url(re.compile(rf"day={today}"))
    expect(page.get_by_text(f"{today}: 1 success")).to_be_visible()
    screenshot("calendar")
    page.get_by_role("button", name="Previous year").click()
    expect(day).to_have_count(0)
    expect(page.get_by_text("0 runs in")).to_be_visible()


BIG_LOG = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import BashOperator

PRINT = "for i in range(1, 100001): print('ERROR boom at', i) if i == 61234 else print('line', i)"
with DAG("tl_biglog", schedule=None, start_date=datetime(2024, 1, 1), tags=["timeline"]):
    BashOperator(task_id="chatty", bash_command=f'python3 -c "{PRINT}"')
"""


def test_a_100000_line_log_is_virtualised_searchable_and_downloadable(stack, page: Page):
    stack.write_dag("tl_biglog.py", BIG_LOG)
    stack.wait_for(lambda: stack.get("/api/v1/dags/tl_biglog").status == 200, 30, "tl_biglog")
    run_id = trigger(stack, "tl_biglog", run_id="big_log")["run_id"]
    assert wait_finished(stack, "tl_biglog", run_id) == "success"
    page.goto(f"{stack.base_url}/dags/tl_biglog/grid?run_id={run_id}&task_id=chatty")
    log = page.get_by_test_id("log")
    expect(log).to_contain_text("line 100000")  # it follows the end
    assert log.locator(".log-line").count() < 200  # only the lines in view are in the DOM
    page.get_by_test_id("log-first-error").click()
    expect(log.locator(".log-line.marked")).to_contain_text("ERROR boom at 61234")
    search = page.get_by_test_id("log-search")
    search.fill("line 4242")
    expect(page.get_by_test_id("log-matches")).to_have_text("1 of 11")  # 4242, 42420..42429
    search.press("Enter")
    expect(log.locator(".log-line.marked")).to_contain_text("line 4242")
    href = page.get_by_test_id("log-download").get_attribute("href")
    text = page.request.get(stack.base_url + href).text()
    assert "line 100000" in text and "ERROR boom at 61234" in text
    assert text.count("\nline ") >= 99_998

"""Backfills from the UI (issue 17): the dialog previews the runs, creates them, and the
Backfills tab shows them finishing; the DAG's trigger timetable is summarised from stored data."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from axe import assert_accessible

TRIGGER_DAG = """
from datetime import datetime
from dagkeeper import DAG, CronTriggerTimetable
from dagkeeper.operators import EmptyOperator

with DAG("bf_trigger", schedule=CronTriggerTimetable("0 6 * * *", timezone="UTC"),
         start_date=datetime(2024, 1, 1), tags=["e2e"]):
    EmptyOperator(task_id="first") >> EmptyOperator(task_id="second")
"""


def test_a_backfill_made_in_the_dialog_runs_and_shows_its_progress(stack, page: Page):
    stack.write_dag("bf_trigger.py", TRIGGER_DAG)
    stack.wait_for(lambda: stack.get("/api/v1/dags/bf_trigger").status == 200, 30, "bf_trigger")
    page.goto(f"{stack.base_url}/dags/bf_trigger/grid")
    expect(page.get_by_text("At 06:00")).to_be_visible()
    page.get_by_test_id("backfill-button").click()
    page.get_by_test_id("backfill-from").fill("2024-01-01T00:00")
    page.get_by_test_id("backfill-to").fill("2024-01-03T12:00")
    page.get_by_test_id("backfill-max-active-runs").fill("2")
    preview = page.get_by_test_id("backfill-preview").locator("li")
    expect(preview).to_have_count(3)
    dates = [preview.nth(i).get_attribute("data-logical-date") for i in range(3)]
    assert dates == [f"2024-01-0{d}T06:00:00+00:00" for d in (1, 2, 3)]
    assert_accessible(page, "backfill dialog")
    page.get_by_test_id("backfill-submit").click()
    expect(page).to_have_url(f"{stack.base_url}/dags/bf_trigger/backfills")
    row = page.get_by_test_id("backfill-row")
    expect(row).to_have_count(1)
    progress = row.get_by_test_id("backfill-progress")
    expect(progress).to_have_attribute("data-total", "3")
    # The scheduler runs them (two at a time); the tab follows without a reload.
    expect(progress).to_have_attribute("data-done", "3", timeout=90_000)
    expect(row).to_have_attribute("data-status", "completed", timeout=30_000)
    expect(progress).to_contain_text("3/3 done · 3 success")
    assert_accessible(page, "backfills tab")
    runs = stack.get("/api/v1/dags/bf_trigger/dagRuns?run_type=backfill").body
    assert sorted(r["logical_date"] for r in runs["dag_runs"]) == dates

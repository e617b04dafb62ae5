"""Operations from the UI (issue 18): "reparse now" picks up a change the file's bytes do not show,
and a DAG whose file is gone can be deleted (while its file defines it, it cannot)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from dagfiles import chain_dag

READS_A_LIST = """
from datetime import datetime
from pathlib import Path
from dagkeeper import DAG
from dagkeeper.operators import EmptyOperator

names = Path(__file__).with_name("ops_tasks.txt").read_text().split()
with DAG("ops_listed", schedule=None, start_date=datetime(2024, 1, 1), tags=["ops"]):
    for name in names:
        EmptyOperator(task_id=name)
"""


def test_reparse_now_picks_up_what_the_file_reads(stack, page: Page):
    (stack.dags_folder / "ops_tasks.txt").write_text("alpha beta")
    stack.write_dag("ops_listed.py", READS_A_LIST)
    stack.wait_for(lambda: stack.get("/api/v1/dags/ops_listed").status == 200, 30, "ops_listed")
    page.goto(f"{stack.base_url}/dags/ops_listed/graph")
    expect(page.locator('[data-testid="graph-node"]')).to_have_count(2)
    (stack.dags_folder / "ops_tasks.txt").write_text("alpha beta gamma")
    page.get_by_test_id("reparse-button").click()
    expect(page.get_by_role("status").filter(has_text="requested")).to_be_visible()
    expect(page.locator('[data-testid="graph-node"][data-task-id="gamma"]')).to_be_visible()


def test_a_dag_whose_file_is_gone_can_be_deleted(stack, page: Page, screenshot):
    stack.write_dag("ops_gone.py", chain_dag("ops_gone", 2))
    stack.wait_for(lambda: stack.get("/api/v1/dags/ops_gone").status == 200, 30, "ops_gone")
    page.goto(f"{stack.base_url}/dags/ops_gone/grid")
    expect(page.get_by_test_id("reparse-button")).to_be_visible()
    expect(page.get_by_test_id("delete-dag-button")).to_have_count(0)
    assert stack.request("DELETE", "/api/v1/dags/ops_gone").status == 409
    stack.delete_dag("ops_gone.py")
    expect(page.get_by_test_id("delete-dag-button")).to_be_visible()  # live, once the file is gone
    expect(page.get_by_text("No file defines this DAG any more.")).to_be_visible()
    page.get_by_test_id("delete-dag-button").click()
    screenshot("delete-dag")
    page.get_by_test_id("delete-dag-confirm").click()
    expect(page).to_have_url(f"{stack.base_url}/")
    assert stack.get("/api/v1/dags/ops_gone").status == 404

"""Variables, connections, pools, XComs and the trigger form's param keywords, as a user sees them.

The module writes its own DAG files (ids start with ``set_``): one reads a variable at parse time,
one renders variables and a connection in a template and returns a dict with a secret-looking key,
one holds a task long enough to show in a pool's occupancy, one declares params with the peer's
JSON-schema keywords.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, unquote

import pytest
from playwright.sync_api import Page, expect

from dagfiles import slow_dag

PARSE_TIMEOUT = 30
RUN_TIMEOUT = 60

PARSE_TIME_READER = """
from datetime import datetime
from dagkeeper import DAG, Variable
from dagkeeper.operators import EmptyOperator

TABLES = Variable.get("set_tables", default_var="a,b").split(",")
with DAG("set_parse_reader", schedule=None, start_date=datetime(2024, 1, 1)):
    for name in TABLES:
        EmptyOperator(task_id=f"load_{name}")
"""

TEMPLATED = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import BashOperator, PythonOperator

def summary():
    return {"rows": 3, "api_token": "tok-e2e-123"}

with DAG("set_templated", schedule=None, start_date=datetime(2024, 1, 1)):
    BashOperator(
        task_id="connect",
        bash_command=(
            "echo region={{ var.value.set_region }} host={{ conn.set_db.host }}"
            " pw={{ conn.set_db.password }}"
        ),
    )
    PythonOperator(task_id="summary", python_callable=summary)
"""

KEYWORD_PARAMS = """
from datetime import datetime
from dagkeeper import DAG, Param
from dagkeeper.operators import EmptyOperator

with DAG(
    "set_params",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    params={
        "region": Param("eu", type="string", enum=["eu", "us"],
                        values_display={"eu": "Europe", "us": "United States"}, title="Region"),
        "day": Param("2024-01-31", type="string", format="date",
                     description_md="The **business day** to load"),
        "comment": Param(None, type=["null", "string"], examples=["backfill", "rerun"]),
    },
):
    EmptyOperator(task_id="noop")
"""


def wait_dag(stack, dag_id: str) -> None:
    stack.wait_for(
        lambda: stack.get(f"/api/v1/dags/{dag_id}").status == 200, PARSE_TIMEOUT, f"{dag_id}"
    )


def trigger(stack, dag_id: str) -> str:
    reply = stack.request("POST", f"/api/v1/dags/{dag_id}/dagRuns", body={"conf": {}})
    assert reply.status == 201, reply.body
    return reply.body["run_id"]


def wait_finished(stack, dag_id: str, run_id: str) -> str:
    def state():
        found = stack.get(f"/api/v1/dags/{dag_id}/dagRuns/{run_id}").body["state"]
        return found in ("success", "failed") and found

    return stack.wait_for(state, RUN_TIMEOUT, f"{dag_id} {run_id} finished")


def row(page: Page, item_id: str):
    return page.locator(f'[data-testid="managed-row"][data-id="{item_id}"]')


def fill_form(page: Page, values: dict[str, str]):
    dialog = page.get_by_role("dialog")
    for name, value in values.items():
        field = dialog.locator(f'[data-field="{name}"]')
        field.locator("input, textarea").fill(value)
    dialog.locator('[data-testid="managed-save"]').click()
    return dialog


@pytest.fixture(scope="module")
def dag_files(stack):
    stack.write_dag("set_parse_reader.py", PARSE_TIME_READER)
    stack.write_dag("set_templated.py", TEMPLATED)
    stack.write_dag("set_slow.py", slow_dag("set_slow", seconds=8))
    stack.write_dag("set_params.py", KEYWORD_PARAMS)
    for dag_id in ("set_parse_reader", "set_templated", "set_slow", "set_params"):
        wait_dag(stack, dag_id)


def test_variables_page_adds_masks_edits_and_deletes(stack, dag_files, page: Page, screenshot):
    page.goto(f"{stack.base_url}/variables")
    page.locator('[data-testid="managed-add"]').click()
    fill_form(page, {"key": "set_tables", "value": "x,y", "description": "tables to load"})
    expect(row(page, "set_tables")).to_contain_text("x,y")
    # the DAG file read it while it was parsed (with its default, before the variable existed)
    expect(row(page, "set_tables")).to_contain_text("set_parse_reader.py")

    page.locator('[data-testid="managed-add"]').click()
    fill_form(page, {"key": "set_api_password", "value": "hunter2-secret"})
    expect(row(page, "set_api_password")).to_contain_text("***")
    expect(page.locator("body")).not_to_contain_text("hunter2-secret")

    page.locator('[data-testid="managed-add"]').click()
    dialog = fill_form(page, {"key": "set_tables", "value": "again"})
    expect(dialog).to_contain_text("already exists")
    dialog.get_by_role("button", name="Cancel").click()
    screenshot("variables")

    row(page, "set_tables").locator('[data-testid="managed-edit"]').click()
    fill_form(page, {"value": "x,y,z"})
    expect(row(page, "set_tables")).to_contain_text("x,y,z")
    row(page, "set_api_password").locator('[data-testid="managed-delete"]').click()
    page.locator('[data-testid="managed-confirm"]').click()
    expect(row(page, "set_api_password")).to_have_count(0)
    assert stack.get("/api/v1/variables/set_tables").body["value"] == "x,y,z"


def test_connections_page_keeps_the_password_write_only(stack, dag_files, page: Page, screenshot):
    page.goto(f"{stack.base_url}/connections")
    page.locator('[data-testid="managed-add"]').click()
    dialog = fill_form(
        page,
        {"connection_id": "set_db", "conn_type": "postgres", "host": "db.internal",
         "port": "5432", "password": "pw-e2e-secret", "extra": "{not json"},
    )  # fmt: skip
    expect(dialog.locator('[data-field="extra"] [data-testid="field-error"]')).to_contain_text(
        "JSON"
    )
    fill_form(page, {"extra": json.dumps({"sslmode": "require", "api_key": "k-e2e"})})
    connection = row(page, "set_db")
    expect(connection).to_contain_text("db.internal:5432")
    expect(connection).to_contain_text('"api_key": "***"')
    expect(page.locator("body")).not_to_contain_text("pw-e2e-secret")
    screenshot("connections")

    connection.locator('[data-testid="managed-edit"]').click()
    expect(page.get_by_role("dialog").locator('[data-field="password"] input')).to_have_value("")
    fill_form(page, {"host": "db2.internal"})
    expect(connection).to_contain_text("db2.internal:5432")
    assert stack.get("/api/v1/connections/set_db").body["has_password"] is True


def test_templates_use_variables_and_connections_and_the_drawer_masks_secrets(
    stack, dag_files, page: Page, screenshot
):
    stack.request("POST", "/api/v1/variables", body={"key": "set_region", "value": "eu-west-1"})
    stack.request(
        "POST", "/api/v1/connections",
        body={"connection_id": "set_db", "conn_type": "postgres", "host": "db.internal",
              "password": "pw-e2e-secret"},
    )  # fmt: skip
    run_id = trigger(stack, "set_templated")
    assert wait_finished(stack, "set_templated", run_id) == "success"

    page.goto(f"{stack.base_url}/dags/set_templated/grid?run_id={quote(run_id)}&task_id=connect")
    drawer = page.locator('[data-testid="ti-drawer"]')
    rendered = drawer.locator('[data-testid="rendered-fields"]')
    expect(rendered).to_contain_text("region=eu-west-1 host=")
    expect(rendered).to_contain_text("pw=***")
    expect(drawer.locator('[data-testid="log"]')).to_contain_text("pw=***")
    expect(drawer).not_to_contain_text("pw-e2e-secret")

    page.goto(f"{stack.base_url}/dags/set_templated/grid?run_id={quote(run_id)}&task_id=summary")
    entry = drawer.locator('[data-testid="xcom-entry"][data-key="return_value"]')
    expect(entry).to_contain_text('"rows": 3')
    expect(entry).to_contain_text('"api_token": "***"')
    expect(drawer).not_to_contain_text("tok-e2e-123")
    screenshot("task-drawer-xcoms")


def test_pools_page_shows_occupancy_and_manages_pools(stack, dag_files, page: Page, screenshot):
    run_id = trigger(stack, "set_slow")
    page.goto(f"{stack.base_url}/pools")
    default = row(page, "default_pool")
    expect(default.locator('[data-testid="managed-delete"]')).to_have_count(0)
    # the slow task holds a default_pool slot while it runs (the page refreshes itself)
    expect(default.locator('[data-slots="running"]')).not_to_have_text("0", timeout=30_000)
    screenshot("pools")

    page.locator('[data-testid="managed-add"]').click()
    dialog = fill_form(page, {"name": "set_pool", "slots": "-1"})
    expect(dialog.locator('[data-field="slots"] [data-testid="field-error"]')).to_be_visible()
    fill_form(page, {"slots": "3"})
    created = row(page, "set_pool")
    expect(created.locator('[data-slots="open"]')).to_have_text("3")
    expect(created.locator('[data-slots="running"]')).to_have_text("0")
    created.locator('[data-testid="managed-edit"]').click()
    fill_form(page, {"slots": "5"})
    expect(created.locator('[data-slots="total"]')).to_have_text("5")
    created.locator('[data-testid="managed-delete"]').click()
    page.locator('[data-testid="managed-confirm"]').click()
    expect(created).to_have_count(0)
    wait_finished(stack, "set_slow", run_id)
    expect(default.locator('[data-slots="running"]')).to_have_text("0", timeout=30_000)


def test_trigger_form_renders_the_param_keywords(stack, dag_files, page: Page, screenshot):
    page.goto(f"{stack.base_url}/dags/set_params/grid")
    page.locator('[data-testid="trigger-button"]').click()
    dialog = page.get_by_role("dialog", name="Trigger set_params")
    region = dialog.locator('[data-param="region"]')
    expect(region).to_contain_text("Region")
    expect(region.locator("option")).to_have_text(["Europe", "United States"])
    day = dialog.locator('[data-param="day"]')
    expect(day.locator("input")).to_have_attribute("type", "date")
    expect(day.locator('[data-testid="param-doc"] strong')).to_have_text("business day")
    comment = dialog.locator('[data-param="comment"]')
    expect(comment).to_contain_text("Leave empty for null")
    expect(comment.locator("datalist option")).to_have_count(2)
    screenshot("trigger-keywords")

    region.locator("select").select_option(label="United States")
    day.locator("input").fill("2024-02-29")
    dialog.locator('[data-testid="trigger-submit"]').click()
    expect(dialog).to_have_count(0)
    expect(page).to_have_url(re.compile(r"run_id="))
    run_id = unquote(re.search(r"run_id=([^&]+)", page.url).group(1))
    conf = stack.get(f"/api/v1/dags/set_params/dagRuns/{run_id}").body["conf"]
    assert conf == {"region": "us", "day": "2024-02-29", "comment": None}

"""Who may do what, in the browser, on SQLite and PostgreSQL (issue 13).

Login and logout, a viewer who sees no trigger control and gets 403 from the
API, and a per-DAG grant that hides a DAG from the list, the search and the
import errors of everyone outside the granted team.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from dagfiles import broken_dag, chain_dag

PASSWORD = "e2e-" + secrets.token_urlsafe(8)


def guarded_dag(dag_id: str, team: str) -> str:
    return chain_dag(dag_id, 2).replace(
        "tags=['e2e']", f"tags=['e2e'], access_control={{{team!r}: {{'can_read'}}}}"
    )


@pytest.fixture(scope="module")
def accounts(stack):
    """A viewer outside any team and a viewer in team finance, once per stack."""
    if not hasattr(stack, "e2e_accounts"):
        stack.e2e_accounts = {
            "outsider": stack.add_user("e2e_outsider", "viewer", PASSWORD),
            "insider": stack.add_user("e2e_insider", "viewer", PASSWORD, ("finance",)),
        }
    return stack.e2e_accounts


def fresh_page(browser: Browser) -> Page:
    """A browser with no cookie at all."""
    return browser.new_context(viewport={"width": 1280, "height": 800}).new_page()


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    expect(page.get_by_test_id("login-form")).to_be_visible()
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def test_login_returns_to_the_page_asked_for_and_logout_ends_the_session(stack, browser):
    stack.write_dag("auth_login.py", chain_dag("e2e_auth_login", 2))
    stack.wait_for(lambda: stack.get("/api/v1/dags/e2e_auth_login").status == 200, 10, "listed")
    page = fresh_page(browser)
    page.goto(f"{stack.base_url}/dags/e2e_auth_login/grid")
    expect(page).to_have_url(f"{stack.base_url}/login?next=%2Fdags%2Fe2e_auth_login%2Fgrid")
    log_in(page, "admin", "wrong password")
    expect(page.get_by_role("alert")).to_contain_text("wrong username or password")
    log_in(page, "admin", stack.admin_password)
    expect(page).to_have_url(f"{stack.base_url}/dags/e2e_auth_login/grid")
    expect(page.get_by_test_id("user-menu")).to_contain_text("admin")
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout-button").click()
    expect(page).to_have_url(f"{stack.base_url}/login")
    page.goto(f"{stack.base_url}/")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    page.context.close()


def test_a_viewer_sees_no_trigger_control_and_the_api_refuses_it(stack, browser, accounts):
    stack.write_dag("auth_view.py", chain_dag("e2e_auth_view", 2))
    stack.wait_for(lambda: stack.get("/api/v1/dags/e2e_auth_view").status == 200, 10, "listed")
    page = fresh_page(browser)
    page.goto(f"{stack.base_url}/?search=e2e_auth_view")
    log_in(page, "e2e_outsider")
    row = page.locator('[data-dag-id="e2e_auth_view"]')
    expect(row).to_be_visible()
    expect(row.get_by_test_id("trigger-button")).to_have_count(0)
    expect(row.get_by_test_id("pause-toggle")).to_be_disabled()
    page.goto(f"{stack.base_url}/dags/e2e_auth_view/grid")
    expect(page.get_by_role("heading", name="e2e_auth_view")).to_be_visible()
    expect(page.get_by_test_id("trigger-button")).to_have_count(0)
    trigger = stack.request("POST", "/api/v1/dags/e2e_auth_view/dagRuns", {"conf": {}},
                            token=accounts["outsider"])  # fmt: skip
    assert trigger.status == 403, trigger.body
    page.context.close()


def test_a_grant_hides_a_dag_from_list_search_and_import_errors(stack, browser, accounts):
    stack.write_dag("auth_secret.py", guarded_dag("e2e_secret", "finance"))
    stack.write_dag("auth_secret_broken.py", guarded_dag("e2e_secret_broken", "finance"))
    stack.wait_for(lambda: stack.get("/api/v1/dags/e2e_secret_broken").status == 200, 10, "listed")
    stack.write_dag("auth_secret_broken.py", broken_dag("e2e_secret_broken"))
    stack.wait_for(
        lambda: any(e["filename"] == "auth_secret_broken.py"
                    for e in stack.get("/api/v1/importErrors?limit=1000").body["import_errors"]),
        10, "import error",
    )  # fmt: skip
    for who, sees in (("outsider", False), ("insider", True)):
        listed = stack.get("/api/v1/dags?search=e2e_secret", token=accounts[who]).body
        assert (listed["total_entries"] == 2) is sees and (listed["total_entries"] == 0) is not sees
        assert stack.get("/api/v1/dags/e2e_secret", token=accounts[who]).status == (
            200 if sees else 404
        )

        page = fresh_page(browser)
        page.goto(f"{stack.base_url}/?search=e2e_secret")
        log_in(page, f"e2e_{who}")
        rows = page.locator('[data-dag-id^="e2e_secret"]')
        if sees:
            expect(rows).to_have_count(2)
        else:
            expect(page.get_by_test_id("empty-state")).to_be_visible()
            expect(rows).to_have_count(0)
        page.goto(f"{stack.base_url}/import-errors?limit=100")
        broken = page.get_by_test_id("import-error").filter(has_text="auth_secret_broken.py")
        if sees:
            expect(broken).to_have_count(1)
        else:
            expect(page.get_by_role("heading", name="Import errors")).to_be_visible()
            expect(broken).to_have_count(0)
        page.context.close()


def test_edit_rights_follow_the_grant_and_a_note_survives_a_reload(stack, browser):
    """A ``user`` may change a DAG only where a grant lets them edit it; notes persist."""
    grants = "access_control={'analysts': {'can_read'}, 'finance': {'can_read', 'can_edit'}}"
    source = chain_dag("e2e_auth_notes", 2).replace("tags=['e2e']", f"tags=['e2e'], {grants}")
    stack.write_dag("auth_notes.py", source)
    stack.wait_for(lambda: stack.get("/api/v1/dags/e2e_auth_notes").status == 200, 10, "listed")
    if not hasattr(stack, "e2e_note_users"):
        stack.e2e_note_users = {
            "analyst": stack.add_user("e2e_analyst", "user", PASSWORD, ("analysts",)),
            "editor": stack.add_user("e2e_editor", "user", PASSWORD, ("finance",)),
        }
    tokens = stack.e2e_note_users
    run = stack.request("POST", "/api/v1/dags/e2e_auth_notes/dagRuns", {"conf": {}})
    assert run.status == 201, run.body
    run_id = quote(run.body["run_id"], safe="")
    drawer = f"{stack.base_url}/dags/e2e_auth_notes/grid?run_id={run_id}&panel=run"
    note = "Rerun after the vendor fixed their feed."

    page = fresh_page(browser)
    page.goto(drawer)
    log_in(page, "e2e_editor")
    page.get_by_test_id("note-text").fill(note)
    page.get_by_test_id("note-save").click()
    expect(page.get_by_test_id("note-save")).to_be_disabled()
    page.reload()
    expect(page.get_by_test_id("note-text")).to_have_value(note)
    page.context.close()

    page = fresh_page(browser)
    page.goto(f"{stack.base_url}/?search=e2e_auth_notes")
    log_in(page, "e2e_analyst")
    row = page.locator('[data-dag-id="e2e_auth_notes"]')
    expect(row.get_by_test_id("pause-toggle")).to_be_disabled()
    expect(row.locator("label.switch")).to_have_attribute(
        "title", "You may read e2e_auth_notes but not change it: you have no edit grant on it."
    )
    expect(row.get_by_test_id("trigger-button")).to_have_count(0)
    page.goto(drawer)
    expect(page.get_by_test_id("note-shown")).to_have_text(note)
    expect(page.get_by_test_id("note-text")).to_have_count(0)
    page.context.close()
    refused = stack.request("PATCH", f"/api/v1/dags/e2e_auth_notes/dagRuns/{run_id}/setNote",
                            {"note": "overwritten"}, token=tokens["analyst"])  # fmt: skip
    assert refused.status == 403, refused.body
    assert stack.get(f"/api/v1/dags/e2e_auth_notes/dagRuns/{run_id}").body["note"] == note

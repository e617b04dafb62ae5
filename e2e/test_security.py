"""The UI works under its Content-Security-Policy, and no other site can frame it (issue 14)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from dagfiles import etl_dag

PARSE_TIMEOUT = 30
VIEWS = ["/", "/import-errors", *(f"/dags/sec_etl/{tab}" for tab in
         ("grid", "graph", "runs", "code", "details", "versions"))]  # fmt: skip


@pytest.fixture(scope="module")
def sec_dag(stack):
    stack.write_dag("sec_etl.py", etl_dag("sec_etl"))
    stack.wait_for(
        lambda: stack.get("/api/v1/dags/sec_etl").status == 200, PARSE_TIMEOUT, "sec_etl listed"
    )
    return "sec_etl"


def _policy_messages(page: Page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return messages


def test_every_view_and_the_api_docs_render_without_a_policy_violation(stack, sec_dag, page: Page):
    violations = _policy_messages(page)
    for path in VIEWS:
        page.goto(stack.base_url + path)
        expect(page.locator("#root > *").first).to_be_visible()
        page.wait_for_load_state("networkidle")
    expect(page.locator("svg").first).to_be_visible()  # the graph view drew (last but four)
    page.goto(stack.base_url + "/dags/sec_etl/graph")
    expect(page.locator("svg g").first).to_be_attached()
    page.goto(stack.base_url + "/api/v1/docs")
    assert page.evaluate("getComputedStyle(document.body).maxWidth") == "1120px"  # docs.css applied
    assert violations == []


def test_another_site_cannot_frame_the_ui(stack, page: Page):
    attacker = "http://attacker.test/"
    page.route(
        attacker,
        lambda route: route.fulfill(
            content_type="text/html", body=f'<iframe src="{stack.base_url}/"></iframe>'
        ),
    )
    page.goto(attacker)
    page.wait_for_load_state("networkidle")
    expect(page.frame_locator("iframe").locator("#root")).to_have_count(0)
    framed = page.frames[1]
    assert framed.url.startswith("chrome-error://"), f"the UI loaded in a frame: {framed.url}"

"""Finding one task in 2,000 (issue 18): `/` focuses the search on the graph and the grid, typing
highlights the best match at once (the collapsed group hiding it on the graph), choosing opens
its group, zooms to it and keeps it in the URL."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dagfiles import layered_dag

BIG = "find_layered"
FOCUSED = re.compile(r"(^|\s)focused(\s|$)")


@pytest.fixture(scope="module")
def big(stack) -> str:
    stack.write_dag(f"{BIG}.py", layered_dag(BIG))
    stack.wait_for(lambda: stack.get(f"/api/v1/dags/{BIG}").status == 200, 60, "2,000-task DAG")
    return BIG


def test_find_a_task_on_the_2000_task_graph(stack, big, page: Page, screenshot):
    page.goto(f"{stack.base_url}/dags/{big}/graph")
    group = page.locator('[data-testid="graph-group"][data-group-id="layer_37"]')
    expect(group).to_be_visible()  # big graphs open with their groups collapsed
    page.keyboard.press("/")
    search = page.get_by_test_id("find-task")
    expect(search).to_be_focused()
    search.press_sequentially("37.t05")
    results = page.get_by_test_id("find-results")
    expect(results.locator('[role="option"]').first).to_have_attribute(
        "data-task-id", "layer_37.t05"
    )
    expect(group).to_have_class(FOCUSED)  # previewed: the group that hides it lights up
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"focus=layer_37\.t05"))
    task = page.locator('[data-testid="graph-node"][data-task-id="layer_37.t05"]')
    expect(task).to_have_class(FOCUSED)
    expect(task).to_be_in_viewport()
    screenshot("find-task")
    # Fuzzy: the scattered letters of a display name find it too.
    search.fill("")
    search.press_sequentially("ly12t03")
    expect(results.locator('[role="option"]').first).to_have_attribute(
        "data-task-id", "layer_12.t03"
    )
    search.fill("t0")
    second = results.locator('[role="option"]').nth(1)
    search.press("ArrowDown")
    expect(second).to_have_attribute("aria-selected", "true")


def test_find_a_task_on_the_grid_scrolls_to_its_row(stack, big, page: Page):
    page.goto(f"{stack.base_url}/dags/{big}/grid")
    expect(page.get_by_test_id("grid-row").first).to_be_visible()
    page.keyboard.press("/")
    page.get_by_test_id("find-task").press_sequentially("layer_48.t39")
    page.get_by_test_id("find-task").press("Enter")
    row = page.locator('[data-testid="grid-row"][data-task-id="layer_48.t39"]')
    expect(row).to_have_class(re.compile(r"(^|\s)found(\s|$)"))
    expect(row).to_be_in_viewport()
    expect(page).to_have_url(re.compile(r"focus=layer_48\.t39"))


def test_big_graph_has_a_minimap_and_group_summaries_when_zoomed_out(stack, big, page: Page):
    page.goto(f"{stack.base_url}/dags/{big}/graph")
    minimap = page.get_by_test_id("graph-minimap")
    expect(minimap).to_be_visible()
    drawing = page.locator('[data-testid="graph-svg"] > g').first
    before = drawing.get_attribute("transform")
    box = minimap.bounding_box()
    minimap.click(position={"x": box["width"] - 4, "y": box["height"] / 2})  # the far end
    expect(drawing).not_to_have_attribute("transform", before)
    summaries = page.get_by_test_id("graph-group-summaries")
    expect(summaries).to_have_count(0)  # task labels are readable: no summaries yet
    page.get_by_test_id("graph-fit").click()  # 50 groups side by side: far too small to read
    expect(summaries).to_contain_text("layer_49 · 40")
    expect(page.locator('[data-testid="graph-group"] text')).to_have_count(0)


def test_focus_mode_shows_only_n_levels_around_a_task(stack, big, page: Page):
    page.goto(f"{stack.base_url}/dags/{big}/graph?focus=layer_10.t05")
    page.get_by_test_id("focus-select").select_option("1")
    expect(page).to_have_url(re.compile(r"around=layer_10\.t05&levels=1|levels=1.*around="))
    page.get_by_role("button", name="expand all groups").click()
    nodes = page.get_by_test_id("graph-node")
    expect(nodes).to_have_count(5)  # the task, its 2 upstream and its 2 downstream tasks
    for task_id in ("layer_09.t05", "layer_09.t06", "layer_10.t05", "layer_11.t04", "layer_11.t05"):
        expect(
            page.locator(f'[data-testid="graph-node"][data-task-id="{task_id}"]')
        ).to_be_visible()
    page.get_by_test_id("focus-select").select_option("2")
    expect(nodes).to_have_count(11)  # 1 + (2 + 3) upstream + (2 + 3) downstream
    page.get_by_test_id("focus-select").select_option("")
    expect(nodes).to_have_count(2000)

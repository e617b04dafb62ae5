"""WCAG 2.1 AA checks with axe-core, injected from the frontend's pinned devDependency (no network)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = (
    Path(__file__).resolve().parent.parent / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[dict]:
    """axe's violations of the page as it is now, each with the first few offending nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the Content-Security-Policy refuses inline scripts.
        page.evaluate(AXE.read_text())
    found = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then((r) => r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' '))})))",
        TAGS,
    )
    return found


def assert_accessible(page: Page, view: str) -> None:
    found = violations(page)
    assert found == [], f"{view}: {len(found)} axe violations:\n" + "\n".join(
        f"  {v['id']} ({v['impact']}, {v['nodes']} nodes): {v['help']} e.g. {v['targets']}"
        for v in found
    )

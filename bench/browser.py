"""Browser benchmark: cold page loads in Chromium, timed by the app's own performance marks.

The stack is ``dagkeeper webserver`` (4 workers) on SQLite holding 10,000
small DAGs plus the 2,000-task layered DAG (:mod:`bench.generate`), parsed by
the real processor, and 50 runs of the big DAG with task instances inserted
through the models (:mod:`bench.history`). Playwright drives Debian's
Chromium, headless, with a fresh browser context (empty cache) per sample;
one unrecorded pass first loads each page once, so the figures are a browser's
cold load against a running server, not a server's first requests after start.

Each figure is the time from navigation start (``performance.timeOrigin``)
to a mark the app sets once the content is on screen:

- ``dk:list-rows``: first rows of the DAG list (``/``);
- ``dk:graph-drawn``: the 2,000-task graph laid out and painted. Past 200
  tasks the graph opens with its task groups collapsed (50 group nodes), so
  the time to lay out and paint all 2,000 tasks after "expand all groups" is
  measured separately (click to every task node in the DOM, plus a frame);
- ``dk:grid-drawn``: the grid of 2,000 tasks x 25 runs (rows are virtualised:
  the visible rows are drawn, the rest as they scroll in);
- ``dk:compare-drawn``: the graph comparing two 2,000-task versions of the big
  DAG (v1 and v2, which renamed the 400 tasks of every fifth layer: 400 tasks
  added, 400 removed as ghosts, their edges too) laid out and painted;
- ``dk:gantt-drawn``: the Gantt of the newest run of the big DAG (groups
  collapsed, as it opens), and the time to draw all 2,000 task rows after
  "expand all groups" separately.

Find a task: on the drawn graph, the time from typing a task id into the search
box (one input event) to the frame that shows its node highlighted (the
collapsed group that holds it), and the same on the grid (its row).

Responsiveness after the graph is drawn, and again after all groups are
expanded, over the next 3 s each: the longest main thread task (PerformanceObserver ``longtask``, tasks over 50 ms), the share of
the main thread spent busy (Chrome's ``TaskDuration`` metric), and a
``requestAnimationFrame`` round trip.

Where a page's time goes (``<page>_breakdown``, medians of the samples, ms from navigation
start): when each script chunk and each ``/ui`` or ``/api`` request started and ended (the
browser's resource timing; hashed chunk names shortened), and the app's own ``dk:`` spans
(``performance.measure``: layout in the worker, building the comparison, rendering).

Reproduce: ``.venv/bin/python -m bench.browser`` (``--quick``: 1,000 DAGs, 2 samples;
``--pages compare,gantt``: only those pages, to iterate on one view).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import tempfile
import time
from pathlib import Path

from bench.api import parse_folder, prepare
from bench.generate import BIG_DAG_ID
from dagkeeper.testing.stack import Stack

COMMAND = ".venv/bin/python -m bench.browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"]
STATIC = Path(__file__).resolve().parent.parent / "backend" / "dagkeeper" / "api" / "static"
PAGES = {
    "list": ("/", "dk:list-rows"),
    "graph": (f"/dags/{BIG_DAG_ID}/graph", "dk:graph-drawn"),
    "grid": (f"/dags/{BIG_DAG_ID}/grid", "dk:grid-drawn"),
    "compare": (f"/dags/{BIG_DAG_ID}/graph?compare=1", "dk:compare-drawn"),
    "gantt": (f"/dags/{BIG_DAG_ID}/gantt", "dk:gantt-drawn"),
}
FIND_QUERY = "layer_37.t05"
SETTLE_SECONDS = 3.0
MARK_TIMEOUT_MS = 60_000

# Installed before any page script: records every long task of the page's main thread.
LONGTASKS = """
window.__dkLongTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    window.__dkLongTasks.push({start: entry.startTime, duration: entry.duration});
}).observe({type: "longtask", buffered: true});
"""

RAF_ROUND_TRIP = """
() => new Promise((resolve) => {
  const started = performance.now();
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)));
})
"""

EXPAND_ALL = """
(taskCount) => new Promise((resolve) => {
  const button = [...document.querySelectorAll("button")]
    .find((b) => b.textContent.trim() === "expand all groups");
  const started = performance.now();
  button.click();
  const check = () => {
    const drawn = document.querySelectorAll("g.nodes > g.node:not(.node-group)").length;
    if (drawn >= taskCount) requestAnimationFrame(() => resolve(performance.now() - started));
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(samples: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(samples)),
        "p99_ms": round(_percentile(samples, 0.99)),
        "samples_ms": [round(s) for s in samples],
    }


# Types a task id into "find a task" as one input event; resolves with the ms until a frame
# shows the highlight (``selector`` matches the highlighted node or row).
FIND_TASK = """
([query, selector]) => new Promise((resolve) => {
  const input = document.querySelector('[data-testid="find-task"]');
  input.focus();
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  const started = performance.now();
  setValue.call(input, query);
  input.dispatchEvent(new Event("input", {bubbles: true}));
  const check = () => {
    if (document.querySelector(selector)) requestAnimationFrame(() => resolve(performance.now() - started));
    else requestAnimationFrame(check);
  };
  check();
})
"""

GANTT_EXPAND_ALL = """
(taskCount) => new Promise((resolve) => {
  const button = [...document.querySelectorAll("button")]
    .find((b) => b.textContent.trim() === "expand all groups");
  const started = performance.now();
  button.click();
  const check = () => {
    const drawn = document.querySelectorAll('[data-testid="gantt-row"][data-task-id]').length;
    if (drawn >= taskCount) requestAnimationFrame(() => resolve(performance.now() - started));
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})
"""
# The page's requests and its dk: measures, each as [start, end] in ms from navigation start.
BREAKDOWN = """
() => {
  const out = {};
  for (const r of performance.getEntriesByType("resource")) {
    const url = new URL(r.name);
    if (url.origin !== location.origin) continue;
    const path = url.pathname.replace(/-[\\w-]{8}\\.(js|css)$/, ".$1");
    if (!/\\.js$/.test(path) && !/^\\/(ui|api)\\//.test(path)) continue;
    out[path + url.search] = [r.startTime, r.responseEnd];
  }
  for (const m of performance.getEntriesByType("measure"))
    if (m.name.startsWith("dk:")) out[m.name] = [m.startTime, m.startTime + m.duration];
  return out;
}
"""
BREAKDOWN_PAGES = ("graph", "compare", "gantt", "grid")
FIND_HIGHLIGHT = {"graph": "g.node.focused", "grid": ".grid-row.found"}


def second_version(stack: Stack) -> None:
    """Publish v2 of the big DAG: every fifth layer's 40 tasks renamed (t00 -> u00 ...)."""
    path = stack.dags_folder / "big_layered.py"
    source = path.read_text()
    renamed = source.replace(
        'task_id=f"t{i:02d}")', 'task_id=f"t{i:02d}" if layer % 5 else f"u{i:02d}")'
    )
    assert renamed != source, "the big DAG's source changed shape; update second_version()"
    path.write_text(renamed)
    parse_folder(stack)


def bundle_sizes() -> dict:
    """The entry script named by index.html (raw and gzip -6), and all JS assets together."""
    html = (STATIC / "index.html").read_text()
    main = STATIC / re.search(r'<script[^>]+src="/([^"]+\.js)"', html).group(1)
    everything = sorted((STATIC / "assets").glob("*.js"))
    return {
        "main_js": main.name,
        "main_js_kb": round(main.stat().st_size / 1024),
        "main_js_gzip_kb": round(len(gzip.compress(main.read_bytes(), 6)) / 1024),
        "all_js_kb": round(sum(p.stat().st_size for p in everything) / 1024),
        "all_js_gzip_kb": round(
            sum(len(gzip.compress(p.read_bytes(), 6)) for p in everything) / 1024
        ),
    }


def _mark_time(page, mark: str) -> float:
    """Milliseconds from navigation start to ``mark`` (marks are relative to timeOrigin)."""
    page.wait_for_function(
        f"performance.getEntriesByName({mark!r}).length > 0", timeout=MARK_TIMEOUT_MS, polling=20
    )
    return page.evaluate(f"performance.getEntriesByName({mark!r})[0].startTime")


def _busy_ms(cdp) -> float:
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration") * 1000


def _responsiveness(page, cdp, drawn_at: float) -> dict:
    """How the page behaves in the SETTLE_SECONDS after ``drawn_at`` (page clock, ms)."""
    busy_before = _busy_ms(cdp)
    time.sleep(SETTLE_SECONDS)
    busy = _busy_ms(cdp) - busy_before
    long_tasks = page.evaluate("window.__dkLongTasks")
    after = [t["duration"] for t in long_tasks if t["start"] >= drawn_at]
    return {
        "longest_task_ms": round(max(after, default=0)),
        "main_thread_busy_pct": round(100 * busy / (SETTLE_SECONDS * 1000), 1),
        "raf_round_trip_ms": round(page.evaluate(RAF_ROUND_TRIP), 1),
    }


def measure_pages(
    base_url: str, samples: int, task_count: int, cookie: str, pages: tuple[str, ...] = ()
) -> dict:
    """``cookie``: an admin's session, so pages load as a logged-in user's do."""
    from playwright.sync_api import sync_playwright

    pages = pages or tuple(PAGES)
    times: dict[str, list[float]] = {name: [] for name in pages}
    breakdown: dict[str, list[dict]] = {name: [] for name in pages}
    expand: list[float] = []
    gantt_expand: list[float] = []
    find: dict[str, list[float]] = {name: [] for name in FIND_HIGHLIGHT}
    settled: dict[str, list[dict]] = {"after_graph": [], "after_expand_all": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            for sample in range(-1, samples):  # sample -1 warms the server's workers, unrecorded
                for name in pages:
                    path, mark = PAGES[name]
                    # bypass_csp: the marks are read by evaluated script (wait_for_function),
                    # which the app's Content-Security-Policy (no 'unsafe-eval') refuses.
                    context = browser.new_context(
                        viewport={"width": 1440, "height": 900}, bypass_csp=True
                    )
                    context.add_cookies(
                        [{"name": "dagkeeper_session", "value": cookie, "url": base_url}]
                    )
                    try:
                        context.add_init_script(LONGTASKS)
                        page = context.new_page()
                        cdp = context.new_cdp_session(page)
                        cdp.send("Performance.enable")
                        page.goto(base_url + path, wait_until="commit")
                        drawn_at = _mark_time(page, mark)
                        if sample < 0:
                            continue
                        times[name].append(drawn_at)
                        if name in BREAKDOWN_PAGES:
                            breakdown[name].append(page.evaluate(BREAKDOWN))
                        if name in FIND_HIGHLIGHT and name in pages:
                            find[name].append(
                                page.evaluate(FIND_TASK, [FIND_QUERY, FIND_HIGHLIGHT[name]])
                            )
                        if name == "gantt":
                            gantt_expand.append(page.evaluate(GANTT_EXPAND_ALL, task_count))
                        if name == "graph":
                            settled["after_graph"].append(_responsiveness(page, cdp, drawn_at))
                            expand.append(page.evaluate(EXPAND_ALL, task_count))
                            expanded_at = page.evaluate("performance.now()")
                            settled["after_expand_all"].append(
                                _responsiveness(page, cdp, expanded_at)
                            )
                    finally:
                        context.close()
        finally:
            browser.close()
    result = {
        f"{name}_{key}": value for name in pages for key, value in _summary(times[name]).items()
    }
    for name, values in breakdown.items():
        if values:
            result[f"{name}_breakdown"] = _median_spans(values)
    if expand:
        result.update({f"graph_expand_all_{k}": v for k, v in _summary(expand).items()})
    if gantt_expand:
        result.update({f"gantt_expand_all_{k}": v for k, v in _summary(gantt_expand).items()})
    for name, values in find.items():
        if values:
            result.update({f"find_task_{name}_{k}": v for k, v in _summary(values).items()})
    for moment, values in settled.items():  # the worst sample of each
        for key in values[0] if values else ():
            result[f"{moment}_{key}_max"] = max(v[key] for v in values)
    return result


def _median_spans(samples: list[dict]) -> dict:
    """Per request or measure seen in every sample: "start-end" medians, in start order."""
    spans = {
        key: (
            statistics.median(s[key][0] for s in samples),
            statistics.median(s[key][1] for s in samples),
        )
        for key in samples[0]
        if all(key in s for s in samples)
    }
    return {key: f"{a:.0f}-{b:.0f}" for key, (a, b) in sorted(spans.items(), key=lambda i: i[1])}


def run(
    dag_count: int = 10_000, samples: int = 5, quick: bool = False, pages: tuple[str, ...] = ()
) -> dict:
    """Build the data set, start the web server, load each page ``samples`` times."""
    if quick:
        dag_count, samples = 1000, 2
    with tempfile.TemporaryDirectory(prefix="dk-bench-browser-") as tmp:
        url = f"sqlite:///{tmp}/dagkeeper.db"
        stack = Stack(Path(tmp), url, workers=4, DAGKEEPER_PARSE_TIMEOUT="120")
        parse_seconds = prepare(stack, dag_count)
        second_version(stack)
        stack.start(components=("webserver",))
        try:
            structure = stack.get(f"/ui/structure/{BIG_DAG_ID}").body["structure"]
            measured = measure_pages(
                stack.base_url, samples, len(structure["nodes"]), stack.login(), pages
            )
        finally:
            stack.stop()
    return {
        "browser": {
            "dags": dag_count,
            "samples": samples,
            "p99_note": f"p99 of {samples} samples is their maximum",
            "parse_seconds": parse_seconds,
            **measured,
            **bundle_sizes(),
            "command": COMMAND + (" --quick" if quick else ""),
        }
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 DAGs, 2 samples per page")
    parser.add_argument("--pages", default="", help=f"comma-separated subset of {','.join(PAGES)}")
    args = parser.parse_args()
    chosen = tuple(name for name in args.pages.split(",") if name)
    unknown = set(chosen) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    print(json.dumps(run(quick=args.quick, pages=chosen), indent=2))

"""Bytes on the wire and page loads over a slow link (issue 19, compression).

Loopback hides what a body's size costs; a user on a VPN does not. For every
endpoint the API bench measures (:func:`bench.api.endpoints`), this asks for
the body three times, with ``Accept-Encoding`` identity, gzip and br, and
records the bytes sent (the body as it travels, before any decoding) beside
the issue's targets. Then Chromium (Playwright, Debian's build, as
:mod:`bench.browser`) loads the DAG list, graph and grid pages, fresh context
per sample, once on loopback and once throttled by the DevTools protocol's
``Network.emulateNetworkConditions`` (10 Mbit/s each way, 50 ms latency per
request), timing navigation start to the app's own performance mark and
summing the bytes Chromium received (``encodedDataLength``) until then; and
once more throttled with ``Accept-Encoding: identity`` (``throttled_plain``),
what the same pages cost before compression.

Data: :func:`bench.api.prepare` (1,000 small DAGs, the 2,000-task DAG, 50
runs of it), SQLite, 2 web workers.

Reproduce: ``.venv/bin/python -m bench --only wire`` (``--quick``: 2 samples).
"""

from __future__ import annotations

import http.client
import json
import tempfile
from pathlib import Path

from bench.api import endpoints, prepare
from bench.browser import CHROMIUM, CHROMIUM_ARGS, PAGES, _mark_time, _summary
from dagkeeper.testing.stack import Stack

COMMAND = ".venv/bin/python -m bench --only wire"
ENCODINGS = ("identity", "gzip", "br")
# (endpoint, the target for its compressed size in bytes)
TARGETS = {"structure_2000": 40 * 1024, "dag_list": 6 * 1024, "grid_2000x25": 30 * 1024}
LOADED_PAGES = ("list", "graph", "grid")
# 10 Mbit/s each way, 50 ms round trip: a VPN or a link across an ocean.
SLOW_LINK = {
    "offline": False,
    "latency": 50,
    "downloadThroughput": 10_000_000 / 8,
    "uploadThroughput": 10_000_000 / 8,
}


def wire_bytes(stack: Stack, path: str) -> dict:
    """Bytes of the body as sent when the client accepts only ``encoding``, for each encoding."""
    sizes = {}
    for encoding in ENCODINGS:
        connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
        try:
            connection.request(
                "GET",
                path,
                headers={"Authorization": f"Bearer {stack.token}", "Accept-Encoding": encoding},
            )
            response = connection.getresponse()
            body = response.read()
            sent = response.getheader("Content-Encoding", "identity")
        finally:
            connection.close()
        if sent not in (encoding, "identity"):
            raise RuntimeError(f"{path}: asked for {encoding}, the server sent {sent}")
        sizes[encoding] = len(body)  # bodies under MIN_BYTES are sent plain, whatever is asked
    return sizes


def _load_once(
    browser, base_url: str, cookie: str, page_name: str, throttled: bool, plain: bool = False
) -> tuple:
    """``plain``: Chromium asks for no compression (what every byte cost before issue 19)."""
    path, mark = PAGES[page_name]
    # bypass_csp: the marks are read by evaluated script, which the app's CSP forbids.
    context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "dagkeeper_session", "value": cookie, "url": base_url}])
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        received = []
        cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
        cdp.send("Network.enable")
        if throttled:
            cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
        if plain:
            cdp.send("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": "identity"}})
        page.goto(base_url + path, wait_until="commit")
        drawn_at = _mark_time(page, mark)
        return drawn_at, sum(received)
    finally:
        context.close()


def page_loads(base_url: str, cookie: str, samples: int) -> dict:
    """Median load time and bytes received per page: loopback, throttled, throttled plain."""
    from playwright.sync_api import sync_playwright

    result = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            for name in LOADED_PAGES:  # one unrecorded pass warms the server's workers
                _load_once(browser, base_url, cookie, name, throttled=False)
            for link in ("loopback", "throttled", "throttled_plain"):
                for name in LOADED_PAGES:
                    throttled, plain = link != "loopback", link.endswith("plain")
                    runs = [
                        _load_once(browser, base_url, cookie, name, throttled, plain)
                        for _ in range(samples)
                    ]
                    result[f"{name}_{link}"] = {
                        **_summary([ms for ms, _ in runs]),
                        "received_kb": round(max(size for _, size in runs) / 1024),
                    }
        finally:
            browser.close()
    return result


def run(dag_count: int = 1000, samples: int = 5, quick: bool = False) -> dict:
    if quick:
        samples = 2
    with tempfile.TemporaryDirectory(prefix="dk-bench-wire-") as tmp:
        stack = Stack(Path(tmp), f"sqlite:///{tmp}/dagkeeper.db", workers=2,
                      DAGKEEPER_PARSE_TIMEOUT="120")  # fmt: skip
        prepare(stack, dag_count)
        stack.start(components=("webserver",))
        try:
            sizes = {
                name: wire_bytes(stack, path)
                for name, path in endpoints(stack, "bench_small_0000").items()
            }
            pages = page_loads(stack.base_url, stack.login(), samples)
        finally:
            stack.stop()
    return {
        "wire": {
            "dags": dag_count,
            "samples": samples,
            "link": SLOW_LINK,
            "bytes": sizes,
            "targets": TARGETS,
            "pages": pages,
            "command": COMMAND + (" --quick" if quick else ""),
        }
    }


if __name__ == "__main__":
    print(json.dumps(run(quick=True), indent=2))

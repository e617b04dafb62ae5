"""What authentication costs per request (issue 13): p50 of the DAG list with and without it.

One SQLite database with 1,000 DAGs, served twice by ``dagkeeper webserver``
(4 workers): once with ``DAGKEEPER_AUTH=off`` (no credential is read) and
once with authentication on, loaded with a session cookie and with a bearer
token. Each variant is loaded as a client sends it (the worker's response
cache answers, so auth is most of what differs) and with ``Cache-Control:
no-cache``. The same requests are also timed in this process through the
Flask test client (no network, no other worker competing), which isolates what
the guard itself adds. The target: the median grows by less than 1 ms.

Reproduce: ``.venv/bin/python -m bench --only auth`` (``--quick``: 5 s per load).
"""

from __future__ import annotations

import statistics
import tempfile
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

from bench.generate import generate
from bench.load import wrk
from dagkeeper import db
from dagkeeper.accounts.sessions import COOKIE_NAME
from dagkeeper.config import load_settings
from dagkeeper.supervisor import Supervisor, component_commands
from dagkeeper.testing.pg import free_port
from dagkeeper.testing.stack import Stack

WORKERS = 4
PATH = "/api/v1/dags?limit=50"
TARGET_MS = 1.0


def _open_server(stack: Stack) -> tuple[Supervisor, str]:
    """A second web server on the same database with authentication off."""
    port = free_port()
    supervisor = Supervisor({**stack.env, "DAGKEEPER_AUTH": "off"}, stack.log_dir / "open")
    supervisor.start("webserver", component_commands(f"127.0.0.1:{port}", WORKERS)["webserver"])
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(base + "/api/v1/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    Stack.wait_for(healthy, 30, "open web server")
    return supervisor, base


def in_process(db_url: str, tokens: dict[str, str], cookie: str, requests: int) -> dict:
    """Median milliseconds per request through the app itself, per variant and cache mode.

    ``tokens``: an admin's (sees every DAG) and a viewer's (the list is filtered by grants).
    """
    from dagkeeper.api import create_app

    db.configure(db_url)
    try:
        clients = {
            "off": create_app({"DAGKEEPER": replace(load_settings(), auth=False)}).test_client(),
            "session": create_app().test_client(),
            "token": create_app().test_client(),
            "viewer_token": create_app().test_client(),
        }
        clients["session"].set_cookie(COOKIE_NAME, cookie)
        headers = {"off": {}, "session": {}}
        headers.update({name: {"Authorization": f"Bearer {tokens[name]}"} for name in tokens})
        result: dict[str, dict[str, float]] = {name: {} for name in clients}
        for mode, extra in (("cached", {}), ("uncached", {"Cache-Control": "no-cache"})):
            samples: dict[str, list[float]] = {name: [] for name in clients}
            for _ in range(requests):  # interleaved, so a busy machine slows every variant alike
                for name, client in clients.items():
                    started = time.perf_counter()
                    response = client.get(PATH, headers={**headers[name], **extra})
                    samples[name].append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (name, response.status_code)
            for name, values in samples.items():
                result[name][mode] = round(statistics.median(values), 3)
        return result
    finally:
        db.dispose()


def run(dag_count: int = 1000, seconds: int = 20, quick: bool = False) -> dict:
    if quick:
        seconds = 5
    with tempfile.TemporaryDirectory(prefix="dk-bench-auth-") as tmp:
        stack = Stack(Path(tmp), f"sqlite:///{tmp}/dagkeeper.db", workers=WORKERS,
                      DAGKEEPER_PARSE_TIMEOUT="120")  # fmt: skip
        stack.start(components=())
        generate(stack.dags_folder, n_small=dag_count, big=False, groups=False, seed=13)
        stack.cli("dags", "parse")
        stack.start(components=("webserver",))
        viewer = stack.add_user("bench_viewer", "viewer", "bench-viewer-password", ("bench",))
        open_server, open_base = _open_server(stack)
        try:
            session_id = stack.login()
            cookie = {"Cookie": f"{COOKIE_NAME}={session_id}"}
            token = {"Authorization": f"Bearer {stack.token}"}
            variants = {
                "off": (open_base, {}),
                "session": (stack.base_url, cookie),
                "token": (stack.base_url, token),
            }
            loads: dict[str, dict] = {}
            for name, (base, headers) in variants.items():
                time.sleep(1)  # let the previous load's connections close
                loads[name] = {
                    "cached": wrk(base + PATH, seconds=seconds, headers=headers),
                    "uncached": wrk(
                        base + PATH,
                        seconds=seconds,
                        headers={**headers, "Cache-Control": "no-cache"},
                    ),  # fmt: skip
                }
        finally:
            open_server.stop()
            stack.stop()
        tokens = {"token": stack.token, "viewer_token": viewer}
        timed = in_process(stack.db_url, tokens, session_id, 300 if quick else 2000)
    costs = {
        f"{name}_{mode}_ms": round(loads[name][mode]["p50_ms"] - loads["off"][mode]["p50_ms"], 3)
        for name in ("session", "token")
        for mode in ("cached", "uncached")
    }
    in_process_costs = {
        f"{name}_{mode}_ms": round(timed[name][mode] - timed["off"][mode], 3)
        for name in ("session", "token", "viewer_token")
        for mode in ("cached", "uncached")
    }
    return {"auth": {"dags": dag_count, "path": PATH, "loads": loads, "cost_p50": costs,
                     "in_process_ms": timed, "in_process_cost": in_process_costs,
                     "target_ms": TARGET_MS}}  # fmt: skip

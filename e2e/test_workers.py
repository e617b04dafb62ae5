"""The Workers page shows a real ``dagkeeper worker``: alive with its queues, then stopped."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from playwright.sync_api import Page, expect

from dagkeeper.supervisor import Supervisor


@pytest.fixture
def redis_url(tmp_path):
    socket = tmp_path / "redis.sock"
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket), "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"redis+socket://{socket}"
    server.kill()
    server.wait()


def test_workers_page_lists_a_live_worker_then_shows_it_stopped(stack, redis_url, page: Page):
    env = {**stack.env, "DAGKEEPER_CELERY_BROKER_URL": redis_url, "DAGKEEPER_WORKER_HEARTBEAT": "1"}
    workers = Supervisor(env, stack.log_dir)
    worker = workers.start(
        "worker",
        [sys.executable, "-m", "dagkeeper", "worker", "--hostname", "e2e-worker",
         "--concurrency", "2", "--queues", "default,gpu"],
    )  # fmt: skip
    try:
        page.goto(stack.base_url + "/")
        page.get_by_role("link", name="Workers").click()
        row = page.locator('[data-testid="worker-row"][data-hostname="e2e-worker"]')
        expect(row).to_have_attribute("data-state", "alive", timeout=60_000)
        expect(row).to_contain_text("default, gpu")
        expect(row).to_contain_text("0 of 2")
    finally:
        workers.stop()
    assert worker.process.returncode is not None
    expect(row).to_have_attribute("data-state", "stopped", timeout=20_000)

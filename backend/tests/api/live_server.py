"""A real ``dagkeeper webserver`` (gunicorn, N workers) in a subprocess, stopped by PID.

Requests carry an admin's API token unless the test says whose (``token=``).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from dagkeeper.testing.pg import free_port

from .factories import add_user


@dataclass
class Reply:
    status: int
    worker: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self):
        return json.loads(self.body)


@dataclass
class LiveServer:
    host: str
    port: int
    token: str | None = None

    def request(
        self, method: str, path: str, body=None, token: str | None = "", headers=None
    ) -> Reply:
        """``token``: whose request ("": the server's default, None: anonymous)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        token = self.token if token == "" else token
        try:
            headers = dict(headers or {})
            if body is not None:
                headers["Content-Type"] = "application/json"
            if token is not None:
                headers["Authorization"] = f"Bearer {token}"
            conn.request(method, path, json.dumps(body) if body is not None else None, headers)
            response = conn.getresponse()
            return Reply(response.status, int(response.getheader("X-Dagkeeper-Worker")),
                         response.read(), dict(response.getheaders()))  # fmt: skip
        finally:
            conn.close()

    def get(self, path: str, token: str | None = "") -> Reply:
        return self.request("GET", path, token=token)

    def many(self, paths: list[str], threads: int = 8) -> list[Reply]:
        """GET each path concurrently, so several workers answer."""
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(self.get, paths))

    def every_worker(
        self,
        path: str,
        workers: int,
        deadline: float = 30.0,
        token: str | None = "",
        headers=None,
    ) -> dict[int, Reply]:
        """One reply of ``path`` from each of ``workers`` distinct workers."""
        seen: dict[int, Reply] = {}
        end = time.monotonic() + deadline
        while len(seen) < workers:
            assert time.monotonic() < end, f"only workers {sorted(seen)} answered"
            with ThreadPoolExecutor(8) as pool:
                replies = pool.map(
                    lambda p: self.request("GET", p, token=token, headers=headers),
                    [path] * workers * 2,
                )
            for reply in replies:
                seen.setdefault(reply.worker, reply)
        return seen


@contextmanager
def webserver(
    workers: int = 4, env: dict[str, str] | None = None, token: str | None = None
) -> Iterator[LiveServer]:
    """Serve the configured database; ``token`` defaults to a new admin's."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dagkeeper", "webserver", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}"],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    server = LiveServer("127.0.0.1", port, token or add_user(f"live-admin-{port}", "admin"))
    try:
        end = time.monotonic() + 30
        while True:
            try:
                if server.get("/api/v1/health").status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < end, "webserver did not start"
            time.sleep(0.05)
        yield server
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        process.stderr.close()

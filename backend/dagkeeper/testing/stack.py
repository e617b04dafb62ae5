"""The real dagkeeper stack on a temporary DAG folder and database.

Used by the end-to-end suite and the benchmarks: processor in watch mode,
scheduler and a multi-worker gunicorn web server on 127.0.0.1, all children
of the caller and stopped by PID in :meth:`Stack.stop`. It starts with an
``admin`` user; :meth:`Stack.request` sends that admin's API token unless told
otherwise, and :meth:`Stack.login` gives a session cookie for a browser.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dagkeeper.supervisor import Supervisor, component_commands
from dagkeeper.testing.pg import free_port


@dataclass
class Reply:
    status: int
    body: Any
    worker: int
    headers: dict[str, str]


class Stack:
    def __init__(self, root: Path, db_url: str, workers: int = 4, **env: str):
        self.root = root
        self.dags_folder = root / "dags"
        self.dags_folder.mkdir(parents=True, exist_ok=True)
        self.log_dir = root / "logs"
        self.db_url = db_url
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.env = {
            "DAGKEEPER_HOME": str(root),
            "DAGKEEPER_DB_URL": db_url,
            "DAGKEEPER_DAGS_FOLDER": str(self.dags_folder),
            "DAGKEEPER_RESCAN_INTERVAL": "5",
            "DAGKEEPER_PARSE_TIMEOUT": "10",
            "DAGKEEPER_HEARTBEAT_TIMEOUT": "10",
            **env,
        }
        self.supervisor = Supervisor(self.env, self.log_dir)
        self.admin_password = secrets.token_urlsafe(12)
        self.token: str | None = None

    def start(self, components: tuple[str, ...] = ("processor", "scheduler", "webserver")) -> Stack:
        self.cli("db", "migrate")
        if self.token is None:  # start() may run again (webserver after a prepare step)
            self.token = self.add_user("admin", "admin", self.admin_password)
        commands = component_commands(f"127.0.0.1:{self.port}", self.workers)
        for name in components:
            self.supervisor.start(name, commands[name])
        if "webserver" in components:
            self.wait_for(lambda: self.get("/api/v1/health").status == 200, 30, "health")
        return self

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """Run ``dagkeeper ARGS`` against this stack's database; its standard output."""
        done = subprocess.run(
            [sys.executable, "-m", "dagkeeper", *args], input=stdin, text=True,
            env=self.supervisor.env, check=True, capture_output=True,
        )  # fmt: skip
        return done.stdout

    def add_user(self, username: str, role: str, password: str, teams: tuple[str, ...] = ()) -> str:
        """Create a user (as an operator would, with the CLI); returns a personal token."""
        team_args = [arg for team in teams for arg in ("--team", team)]
        self.cli("users", "create", "--username", username, "--role", role, *team_args,
                 "--password-stdin", stdin=password + "\n")  # fmt: skip
        return self.cli("tokens", "create", "--username", username, "--name", "tests").strip()

    def login(self, username: str = "admin", password: str | None = None) -> str:
        """Log in over HTTP; the session cookie's value."""
        password = password if password is not None else self.admin_password
        reply = self.request("POST", "/auth/login", {"username": username, "password": password},
                             token=None)  # fmt: skip
        assert reply.status == 200, reply.body
        return reply.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]

    def stop(self) -> None:
        self.supervisor.stop()

    def logs(self) -> dict[str, str]:
        return {p.name: p.read_text(errors="replace") for p in sorted(self.log_dir.glob("*.log"))}

    # -- reading the API -------------------------------------------------------------
    def request(
        self, method: str, path: str, body: Any = None, headers=None, token: str | None = ""
    ) -> Reply:
        """``token``: whose request ("": the admin's, None: anonymous)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        token = self.token if token == "" else token
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw, hdrs = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, hdrs = error.code, error.read(), error.headers
        except (urllib.error.URLError, ConnectionError):
            return Reply(0, None, 0, {})
        parsed = json.loads(raw) if raw and "json" in hdrs.get("Content-Type", "") else raw
        worker = int(hdrs.get("X-Dagkeeper-Worker", 0))
        return Reply(status, parsed, worker, dict(hdrs.items()))

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    # -- the DAG folder -----------------------------------------------------------------
    def write_dag(self, name: str, source: str) -> Path:
        """Write a DAG file atomically (as editors do), so the processor never sees half a file."""
        path = self.dags_folder / name
        tmp = path.with_suffix(".tmp")
        tmp.write_text(textwrap.dedent(source))
        tmp.replace(path)
        return path

    def delete_dag(self, name: str) -> None:
        (self.dags_folder / name).unlink()

    @staticmethod
    def wait_for(predicate: Callable[[], Any], timeout: float, what: str = "condition") -> Any:
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} not reached within {timeout} s")
            time.sleep(0.05)

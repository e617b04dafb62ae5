"""``dagkeeper standalone`` (what ``make run`` starts): up, serving parsed DAGs, and gone on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import psutil

from dagkeeper.testing.pg import free_port

DAG = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import EmptyOperator

with DAG("standalone_demo", schedule=None, start_date=datetime(2024, 1, 1)):
    EmptyOperator(task_id="only")
"""


def _get(url: str, token: str | None = None):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def _token(base: str, username: str, password: str) -> str:
    body = json.dumps({"username": username, "password": password}).encode()
    request = urllib.request.Request(f"{base}/auth/token", data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["access_token"]


def test_standalone_serves_parsed_dags_to_its_first_admin_and_stops_every_child_on_sigterm(
    tmp_path,
):
    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "demo.py").write_text(DAG)
    port = free_port()
    env = {
        **os.environ,
        "DAGKEEPER_HOME": str(tmp_path / "home"),
        "DAGKEEPER_DB_URL": f"sqlite:///{tmp_path / 'home' / 'dagkeeper.db'}",
        "DAGKEEPER_DAGS_FOLDER": str(dags),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "dagkeeper", "standalone", "--bind", f"127.0.0.1:{port}",
         "--workers", "2"],
        env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        first_line = process.stdout.readline()
        assert first_line.startswith(f"dagkeeper is running: http://127.0.0.1:{port}/")
        assert _get(f"http://127.0.0.1:{port}/api/v1/health")["status"] == "ok"
        database_line, login_line = process.stdout.readline(), process.stdout.readline()
        assert "dagkeeper.db" in database_line
        assert login_line.startswith("Log in as 'admin' with password ")
        password = login_line.split("password ", 1)[1].split(" ", 1)[0]
        token = _token(f"http://127.0.0.1:{port}", "admin", password)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            listed = _get(f"http://127.0.0.1:{port}/api/v1/dags", token)["dags"]
            if [d["dag_id"] for d in listed] == ["standalone_demo"]:
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"the processor never published the DAG: {listed}")
        children = psutil.Process(process.pid).children(recursive=True)
        assert len(children) >= 3  # processor, scheduler, gunicorn master (+ workers)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        _gone, alive = psutil.wait_procs(children, timeout=10)
        assert alive == []
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()

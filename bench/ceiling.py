"""The ceiling of the cached API figures: a trivial Flask route on our own gunicorn settings.

No database, no authentication, no response cache: one small JSON body from a
Flask app served by the same worker class, threads and worker count as
``dagkeeper webserver``. The DAG list's cached req/s is reported beside it
(issue 19): what is left between the two is ours, the rest is the web stack's.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from flask import Flask

from bench.load import answers, wrk
from dagkeeper.testing.pg import free_port
from dagkeeper.testing.stack import Stack

app = Flask(__name__)
ROOT = Path(__file__).resolve().parent.parent


@app.get("/")
def ok():
    return app.response_class(b'{"ok":true}', mimetype="application/json")


def measure(workers: int, seconds: int, env: dict[str, str]) -> dict:
    """wrk against the trivial route on ``workers`` gunicorn workers of dagkeeper's settings."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:dagkeeper.api.gunicorn_conf",
         "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "bench.ceiling:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        Stack.wait_for(lambda: answers(url) or server.poll() is not None, 30, url)
        if server.poll() is not None:
            raise RuntimeError("the trivial route's server exited")
        # The first worker answers while the others may still be starting; wrk's kept-alive
        # connections would then all stay on that one worker (a third of the rate).
        time.sleep(2)
        return {"workers": workers, **wrk(url, seconds=seconds)}
    finally:
        server.terminate()
        server.wait(timeout=30)

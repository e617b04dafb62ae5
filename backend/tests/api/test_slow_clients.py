"""Real gunicorn against hostile clients: idle sockets and the largest listing a client may ask for."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
from contextlib import ExitStack
from datetime import timedelta

import psutil
from sqlalchemy import select

from dagkeeper import db as database
from dagkeeper.models import DagRun

from .factories import START, standard_dataset
from .live_server import webserver

IDLE_SOCKETS = 40
SERVED_WITHIN = 1.0  # seconds; a sync worker held by an idle socket took its whole 30 s timeout
RSS_LIMIT_MB = 150


def test_idle_connections_do_not_keep_other_clients_waiting(db):
    standard_dataset()
    with webserver(workers=2) as server, ExitStack() as held:
        idle = [held.enter_context(socket.create_connection((server.host, server.port)))
                for _ in range(IDLE_SOCKETS)]  # fmt: skip
        _wait_until_accepted(server.port, IDLE_SOCKETS)
        kept_alive = held.enter_context(socket.create_connection((server.host, server.port)))
        kept_alive.sendall(
            f"GET /api/v1/dags HTTP/1.1\r\nHost: localhost\r\n"
            f"Authorization: Bearer {server.token}\r\n\r\n".encode()
        )
        assert kept_alive.recv(12).startswith(b"HTTP/1.1 200")  # then it stays open, silent
        for _ in range(20):
            connection = http.client.HTTPConnection(server.host, server.port, timeout=SERVED_WITHIN)
            connection.request("GET", "/api/v1/dags/etl", headers=_auth(server))
            assert connection.getresponse().status == 200
            connection.close()
        assert len(idle) == IDLE_SOCKETS


def _auth(server) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}"}


def _wait_until_accepted(port: int, count: int) -> None:
    """Until the server's workers hold ``count`` connections (before that the kernel queues them)."""
    while True:
        accepted = [
            c for c in psutil.net_connections("tcp")
            if c.laddr and c.laddr.port == port and c.status == psutil.CONN_ESTABLISHED
            and c.pid not in (None, os.getpid())
        ]  # fmt: skip
        if len(accepted) >= count:
            return
        time.sleep(0.05)


def _add_big_runs(count: int, conf_bytes: int) -> None:
    """``count`` runs, each with the largest conf and note a trigger accepts."""
    blob = json.dumps({"blob": "x" * (conf_bytes - 20)})
    with database.transaction() as s:
        version_id = s.scalar(select(DagRun.dag_version_id).where(DagRun.dag_id == "etl").limit(1))
        s.execute(
            DagRun.__table__.insert(),
            [
                {"dag_id": "etl", "run_id": f"big_{i}", "run_type": "manual", "state": "queued",
                 "logical_date": START + timedelta(days=100 + i), "conf": blob,
                 "dag_version_id": version_id, "note": "n" * 1000}
                for i in range(count)
            ],
        )  # fmt: skip


def test_the_largest_listing_streams_without_growing_the_worker(db):
    standard_dataset()
    _add_big_runs(1000, 64 * 1024)
    with webserver(workers=1) as server:
        warm = server.get("/api/v1/dags/etl/dagRuns?limit=10")
        worker = psutil.Process(warm.worker)
        peak = [worker.memory_info().rss]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.005):
                peak.append(worker.memory_info().rss)

        sampler = threading.Thread(target=sample)
        sampler.start()
        connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
        try:
            connection.request("GET", "/api/v1/dags/etl/dagRuns?limit=1000", headers=_auth(server))
            response = connection.getresponse()
            body = response.read()
        finally:
            done.set()
            sampler.join()
            connection.close()
        assert response.status == 200
        listing = json.loads(body)
        assert len(listing["dag_runs"]) == 1000 and listing["total_entries"] == 1002
        assert len(body) > 64 * 1024 * 1000
        print(f"worker RSS: {peak[0] >> 20} MB before, {max(peak) >> 20} MB at most")
        assert max(peak) < RSS_LIMIT_MB * 1024 * 1024, f"worker peaked at {max(peak) >> 20} MB"

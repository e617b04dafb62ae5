"""Real gunicorn, four workers: what only a multi-process server can show."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .factories import standard_dataset
from .live_server import webserver

RUN = "scheduled__2024-01-02T00:00:00%2B00:00"
TI = f"/api/v1/dags/etl/dagRuns/{RUN}/taskInstances"
READS = [
    "/api/v1/health", "/api/v1/dags", "/api/v1/dags?order_by=-last_run_date&tags=etl",
    "/api/v1/dags/etl", "/api/v1/dags/etl/details", "/api/v1/dags/etl/tasks",
    "/api/v1/dags/etl/tasks/load", "/api/v1/dags/etl/source", "/api/v1/dags/etl/versions",
    "/api/v1/dags/etl/versions/1", "/api/v1/dags/etl/dagRuns", f"/api/v1/dags/etl/dagRuns/{RUN}",
    TI, f"{TI}/transform.clean", f"{TI}/transform.clean/logs/1", "/api/v1/importErrors",
    "/api/v1/workers",
    "/ui/structure/etl", f"/ui/structure/etl?run_id={RUN}", "/ui/grid/etl", "/ui/changes?since=0",
    "/api/v1/openapi.json", "/api/v1/docs", "/", "/dags/etl/grid", "/api/v1/dags/nope",
]  # fmt: skip
FORBIDDEN = ("dagkeeper.authoring", "dagkeeper.processor", "dagkeeper.runner",
             "dagkeeper.operators", "dagkeeper_dagfile_")  # fmt: skip


def _writes(server, round_number: int) -> None:
    for index in range(8):
        assert (
            server.request("PATCH", "/api/v1/dags/etl", {"is_paused": index % 2 == 0}).status == 200
        )
        trigger = {
            "conf": {"target": "x"},
            "logical_date": f"2025-{round_number + 1:02d}-{index + 1:02d}T00:00:00Z",
        }
        assert server.request("POST", "/api/v1/dags/etl/dagRuns", trigger).status == 201
        clear = {"dag_run_ids": [RUN.replace("%2B", "+")], "only_failed": index % 2 == 1}
        assert server.request("POST", "/api/v1/dags/etl/clearTaskInstances", clear).status == 200
        assert server.request("PATCH", f"{TI}/load", {"state": "failed"}).status == 200
        run = f"/api/v1/dags/etl/dagRuns/{RUN}"
        assert server.request("PATCH", run, {"state": "failed"}).status == 200


def test_no_worker_imports_dag_file_machinery_after_serving_every_endpoint(db):
    standard_dataset()
    with webserver(4, {"DAGKEEPER_DEBUG_MODULES": "1"}) as server:
        for round_number in range(5):
            replies = server.many(READS)
            assert all(r.status in (200, 404) for r in replies)
            assert {r.status for r in replies[:-1]} == {200}, [r.status for r in replies]
            _writes(server, round_number)
        modules = server.every_worker("/api/v1/_debug/modules", workers=4)
    assert len(modules) == 4
    for pid, reply in modules.items():
        assert "dagkeeper.api.dags" in reply.json()["modules"], "the endpoint lists real modules"
        leaked = [m for m in reply.json()["modules"] if m.startswith(FORBIDDEN)]
        assert leaked == [], f"worker {pid} imported {leaked}"


DAG_FILE = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import EmptyOperator

with DAG("{dag_id}", schedule=None, start_date=datetime(2024, 1, 1)):
    {tasks}
"""


def _write_dag(folder: Path, dag_id: str, task_ids: list[str]) -> None:
    tasks = "\n    ".join(f'EmptyOperator(task_id="{t}")' for t in task_ids)
    (folder / f"{dag_id}.py").write_text(DAG_FILE.format(dag_id=dag_id, tasks=tasks))


def _parse() -> None:
    subprocess.run([sys.executable, "-m", "dagkeeper", "dags", "parse"], check=True,
                   capture_output=True, timeout=120)  # fmt: skip


def _all_workers_agree(server, path: str, check) -> None:
    replies = server.many([path] * 200)
    assert len({r.worker for r in replies}) >= 3, "requests did not spread across workers"
    for reply in replies:
        assert reply.status in (200, 404)
        check(reply)


@pytest.mark.usefixtures("db")
def test_every_worker_serves_the_processors_latest_commit(dags_folder):
    _write_dag(dags_folder, "alpha", ["a"])
    _parse()
    with webserver(4) as server:
        assert server.get("/api/v1/dags/alpha").status == 200

        _write_dag(dags_folder, "beta", ["b"])
        _parse()
        _all_workers_agree(
            server, "/api/v1/dags", lambda r: (
                [d["dag_id"] for d in r.json()["dags"]] == ["alpha", "beta"] or pytest.fail(r.body)
            ),
        )  # fmt: skip

        _write_dag(dags_folder, "alpha", ["a", "a2"])
        _parse()
        _all_workers_agree(
            server, "/api/v1/dags/alpha/tasks", lambda r: (
                r.json()["total_entries"] == 2 or pytest.fail(r.body)
            ),
        )  # fmt: skip

        (dags_folder / "beta.py").unlink()
        _parse()
        _all_workers_agree(
            server, "/api/v1/dags", lambda r: (
                [d["dag_id"] for d in r.json()["dags"]] == ["alpha"] or pytest.fail(r.body)
            ),
        )  # fmt: skip

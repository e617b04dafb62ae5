"""A scheduler killed with SIGKILL mid-run and restarted: no duplicate runs, nothing lost."""

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from dagkeeper.db import read_session
from dagkeeper.models import DagRun, RunState, TaskInstance

from .factories import publish_dag_file, wait_for

CATCHUP = """
from datetime import datetime, timezone
from dagkeeper import DAG, chain
from dagkeeper.operators import BashOperator

with DAG("catchup", schedule="@daily", catchup=True,
         start_date=datetime.fromisoformat("{start}")):
    chain(*[BashOperator(task_id=f"step_{{i}}", bash_command="sleep 0.2") for i in range(3)])
"""


def start_scheduler() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dagkeeper", "scheduler", "--parallelism", "4"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def counts() -> dict:
    with read_session() as session:
        runs = dict(
            session.execute(select(DagRun.state, func.count()).group_by(DagRun.state)).all()
        )
        tis = dict(
            session.execute(
                select(TaskInstance.state, func.count()).group_by(TaskInstance.state)
            ).all()
        )
    return {"runs": runs, "tis": tis}


def test_scheduler_killed_mid_run_restarts_without_duplicates(db, dags_folder):
    start = (datetime.now(UTC) - timedelta(days=3)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    path = dags_folder / "catchup.py"
    path.write_text(textwrap.dedent(CATCHUP.format(start=start.isoformat())))
    publish_dag_file(path, dags_folder)

    first = start_scheduler()
    try:
        wait_for(lambda: counts()["tis"].get("success", 0) >= 2)
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    second = start_scheduler()
    try:
        wait_for(lambda: counts()["runs"] == {RunState.SUCCESS: 3}, timeout=60)
    finally:
        second.terminate()
        second.wait(timeout=30)
    with read_session() as session:
        logical_dates = session.scalars(select(DagRun.logical_date).order_by(DagRun.logical_date))
        tries = session.execute(select(TaskInstance.state, TaskInstance.try_number)).all()
        assert list(logical_dates) == [start + timedelta(days=d) for d in range(3)]
    assert {tuple(t) for t in tries} == {("success", 1)} and len(tries) == 9

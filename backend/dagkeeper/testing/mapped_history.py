"""Runs of a DAG with a wide mapped task, written straight through the models.

Running 10,000 map indexes for real takes far too long for a test or a
benchmark; what the grid, the drawer and the graph read is only rows, so the
rows are inserted: every task succeeded, and the mapped task has ``width``
map indexes per run. In the newest run (state ``newest_state``: running by
default, so a benchmark sees a live run) the map indexes are in flight and
every 100th one failed, so filters and summaries have something to show.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from dagkeeper import db
from dagkeeper.models import Dag, DagRun, DagVersion, TaskInstance, record_change
from dagkeeper.models.change import ChangeKind

START = datetime(2026, 1, 1, tzinfo=UTC)

# A DAG file whose task ``work`` is mapped (to add_mapped_runs' width; really over 10 items).
WIDE_DAG = """
from datetime import datetime
from dagkeeper import DAG, task

with DAG("{dag_id}", schedule=None, start_date=datetime(2024, 1, 1)):
    @task
    def items():
        return list(range(10))

    @task
    def work(x):
        return x

    @task
    def total(values):
        return len(values)

    total(work.expand(x=items()))
"""


def newest_run_state(map_index: int) -> str | None:
    """The state of map index ``map_index`` in the newest (still running) run."""
    if map_index % 100 == 99:
        return "failed"
    if map_index % 10 == 5:
        return "running"
    return "success" if map_index % 3 else None


def add_mapped_runs(
    dag_id: str, mapped_task_id: str, runs: int, width: int, newest_state: str = "running"
) -> list[str]:
    """Insert ``runs`` daily runs of ``dag_id``; returns their run ids, oldest first."""
    run_ids = []
    with db.transaction() as session:
        dag = session.get_one(Dag, dag_id)
        version = session.get_one(DagVersion, dag.current_version_id)
        tasks = version.read().tasks
        for index in range(runs):
            logical = START + timedelta(days=index)
            newest = index == runs - 1
            run = DagRun(
                dag_id=dag_id, run_id=f"scheduled__{logical.isoformat()}", run_type="scheduled",
                state=newest_state if newest else "success", logical_date=logical,
                data_interval_start=logical, data_interval_end=logical + timedelta(days=1),
                dag_version_id=version.id, start_date=logical + timedelta(days=1),
            )  # fmt: skip
            session.add(run)
            session.flush()
            run_ids.append(run.run_id)
            rows = []
            for task_id, task in tasks.items():
                indexes = range(width) if task_id == mapped_task_id else (-1,)
                for map_index in indexes:
                    state = newest_run_state(map_index) if newest and map_index >= 0 else "success"
                    rows.append(
                        {
                            "dag_run_id": run.id, "dag_id": dag_id, "task_id": task_id,
                            "map_index": map_index, "state": state, "max_tries": 1,
                            "try_number": 1 if state else 0, "operator": task.operator,
                        }
                    )  # fmt: skip
            session.execute(insert(TaskInstance), rows)
        record_change(session, [(dag_id, ChangeKind.RUN)])
    return run_ids

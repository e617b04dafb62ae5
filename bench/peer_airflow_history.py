"""Run history for the peer benchmark, written through Apache Airflow's own models.

Executed by ``bench.peers`` with the Airflow virtualenv's python (never imported by
dagkeeper): ``python peer_airflow_history.py DAG_ID RUNS``. The same shape as
``bench.history``: daily runs of the parsed DAG, one task instance per task per run
(rows from Airflow's own ``TaskInstance.insert_mapping``, as its ``DagRun`` inserts them), every 10th run failed, the newest still
running. Prints the number of task instances as JSON.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime, timedelta

from airflow.models.dag_version import DagVersion
from airflow.models.dagrun import DagRun
from airflow.models.serialized_dag import SerializedDagModel
from airflow.models.taskinstance import TaskInstance
from airflow.utils.session import create_session
from airflow.utils.state import DagRunState
from airflow.utils.types import DagRunTriggeredByType, DagRunType
from sqlalchemy import func, select

START = datetime(2026, 1, 1, tzinfo=UTC)


def _ti_state(run_index: int, runs: int, rng: random.Random) -> str | None:
    """The same distribution as ``bench.history._ti_state``."""
    if run_index == runs - 1:
        return rng.choice(["success", "success", "running", "queued", "scheduled", None])
    if run_index % 10 == 9:
        return rng.choice(["success", "success", "failed", "upstream_failed", "skipped"])
    return "success"


def add_history(dag_id: str, runs: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    dag = SerializedDagModel.get_dag(dag_id)
    version = DagVersion.get_latest_version(dag_id)
    tasks = [dag.task_dict[task_id] for task_id in sorted(dag.task_dict)]
    template: list[dict] = []  # Airflow's own row per task (priority weights cost seconds)
    count = 0
    for index in range(runs):
        logical = START + timedelta(days=index)
        newest = index == runs - 1
        failed = index % 10 == 9
        started = logical + timedelta(days=1)
        with create_session() as session:
            run = DagRun(
                dag_id=dag_id, run_id=f"scheduled__{logical.isoformat()}", logical_date=logical,
                run_after=started, data_interval=(logical, started), start_date=started,
                queued_at=started, run_type=DagRunType.SCHEDULED,
                triggered_by=DagRunTriggeredByType.TIMETABLE,
                state=DagRunState.RUNNING if newest else
                (DagRunState.FAILED if failed else DagRunState.SUCCESS),
            )  # fmt: skip
            run.created_dag_version_id = version.id
            run.end_date = None if newest else started + timedelta(minutes=30)
            session.add(run)
            session.flush()
            if not template:
                template = [
                    TaskInstance.insert_mapping(
                        run.run_id, task, map_index=-1, dag_version_id=version.id, dag_run=run
                    )
                    for task in tasks
                ]
            rows = []
            for task_index, base in enumerate(template):
                ti_state = _ti_state(index, runs, rng)
                begun = started + timedelta(seconds=task_index)
                finished = ti_state in ("success", "failed", "skipped")
                rows.append({
                    **base, "run_id": run.run_id, "state": ti_state,
                    "try_number": 1 if ti_state else 0, "hostname": "bench",
                    "start_date": begun if finished or ti_state == "running" else None,
                    "end_date": begun + timedelta(seconds=2) if finished else None,
                    "duration": 2.0 if finished else None,
                })  # fmt: skip
            session.bulk_insert_mappings(TaskInstance.__mapper__, rows)
            count += len(rows)
    with create_session() as session:
        stored = session.scalar(select(func.count()).where(TaskInstance.dag_id == dag_id))
        assert stored == count, (stored, count)
    return count


if __name__ == "__main__":
    print(json.dumps({"task_instances": add_history(sys.argv[1], int(sys.argv[2]))}))

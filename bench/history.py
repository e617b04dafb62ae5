"""Run history for benchmarks, written straight through the models.

Running 50,000 task instances through the real scheduler would take hours on
two cores, so benchmark history is inserted directly: runs pinned to the DAG's
current version, one task instance per task per run, every 10th run failed,
the newest run still running, and a short log for every task instance.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from dagkeeper import db
from dagkeeper.models import (
    Dag,
    DagRun,
    DagVersion,
    TaskInstance,
    TaskLog,
    record_change,
)
from dagkeeper.models.change import ChangeKind

START = datetime(2026, 1, 1, tzinfo=UTC)


def _ti_state(run_index: int, runs: int, task_index: int, rng: random.Random) -> str | None:
    if run_index == runs - 1:  # the newest run is in flight
        return rng.choice(["success", "success", "running", "queued", "scheduled", None])
    if run_index % 10 == 9:
        return rng.choice(["success", "success", "failed", "upstream_failed", "skipped"])
    return "success"


def add_history(dag_id: str, runs: int = 50, seed: int = 7) -> int:
    """Insert ``runs`` daily runs of ``dag_id`` with task instances; returns the TI count."""
    rng = random.Random(seed)
    with db.transaction() as session:
        dag = session.get_one(Dag, dag_id)
        version = session.get_one(DagVersion, dag.current_version_id)
        operators = {t.task_id: t.operator for t in version.read().tasks.values()}
        task_ids = sorted(operators)
        count = 0
        for index in range(runs):
            logical = START + timedelta(days=index)
            failed = index % 10 == 9
            state = "running" if index == runs - 1 else ("failed" if failed else "success")
            run = DagRun(
                dag_id=dag_id, run_id=f"scheduled__{logical.isoformat()}", run_type="scheduled",
                state=state, logical_date=logical, data_interval_start=logical,
                data_interval_end=logical + timedelta(days=1), dag_version_id=version.id,
                queued_at=logical + timedelta(days=1), start_date=logical + timedelta(days=1),
                end_date=None if state == "running" else logical + timedelta(days=1, minutes=30),
            )  # fmt: skip
            session.add(run)
            session.flush()
            rows = []
            for task_index, task_id in enumerate(task_ids):
                ti_state = _ti_state(index, runs, task_index, rng)
                started = run.start_date + timedelta(seconds=task_index)
                finished = ti_state in ("success", "failed", "skipped")
                rows.append(
                    {
                        "dag_run_id": run.id, "dag_id": dag_id, "task_id": task_id,
                        "state": ti_state, "try_number": 1 if ti_state else 0, "max_tries": 1,
                        "operator": operators[task_id],
                        "start_date": started if finished or ti_state == "running" else None,
                        "end_date": started + timedelta(seconds=2) if finished else None,
                        "duration": 2.0 if finished else None, "hostname": "bench",
                    }
                )  # fmt: skip
            session.execute(insert(TaskInstance), rows)
            count += len(rows)
        ids = session.scalars(select(TaskInstance.id).where(TaskInstance.dag_id == dag_id)).all()
        session.execute(
            insert(TaskLog),
            [{"task_instance_id": i, "try_number": 1, "offset": 0,
              "content": f"[bench] task instance {i} ran\n" * 20} for i in ids],
        )  # fmt: skip
        record_change(session, [(dag_id, ChangeKind.RUN)])
    return count

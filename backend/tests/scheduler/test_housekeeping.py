"""What the scheduler tidies once a minute, besides scheduling."""

from __future__ import annotations

from sqlalchemy import func, select

from dagkeeper import db as database
from dagkeeper.models import Dag, DagListCount
from dagkeeper.scheduler.loop import Scheduler

from .inline import InlineExecutor


def test_a_pass_folds_the_dag_list_counts(sqlite_db):
    with database.transaction() as s:
        for i in range(5):
            s.add(Dag(dag_id=f"dag_{i}", fileloc=f"dag_{i}.py", schedule_kind="none"))
    rows = select(DagListCount.tag, DagListCount.paused, DagListCount.delta)
    with database.transaction() as s:
        assert s.execute(rows).all() == [("", False, 1)] * 5  # one delta per new DAG
    Scheduler(executor=InlineExecutor()).run_once()
    with database.transaction() as s:
        assert s.execute(rows).all() == [("", False, 5)]
        assert s.scalar(select(func.count()).select_from(Dag)) == 5

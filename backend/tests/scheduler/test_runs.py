"""Scheduled run creation and queued run start, from stored documents only."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from dagkeeper.db import read_session, transaction
from dagkeeper.models import Dag, DagRun, RunState, TaskInstance
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.scheduler.runs import create_scheduled_runs, start_queued_runs

from .factories import dag_doc, publish, task_doc, trigger

DAILY = {"kind": "preset", "expression": "@daily", "seconds": None}


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def create(now: datetime, exhausted=None) -> None:
    with transaction() as session:
        create_scheduled_runs(
            session, DocumentCache(), now, set() if exhausted is None else exhausted
        )


def start(now: datetime) -> None:
    with transaction() as session:
        start_queued_runs(session, DocumentCache(), now)


def runs(dag_id: str) -> list[tuple[datetime, datetime, datetime, str]]:
    with read_session() as session:
        return [
            tuple(r)
            for r in session.execute(
                select(
                    DagRun.logical_date,
                    DagRun.data_interval_start,
                    DagRun.data_interval_end,
                    DagRun.state,
                )
                .where(DagRun.dag_id == dag_id)
                .order_by(DagRun.logical_date)
            )
        ]


def dag_row(dag_id: str) -> Dag:
    with read_session() as session:
        return session.get(Dag, dag_id)


def test_catchup_creates_a_run_per_elapsed_interval_and_sets_the_next_run(db):
    publish(dag_doc("daily", ["a"], schedule=DAILY, catchup=True))
    create(utc(2024, 1, 4, 12))
    assert [r[:3] for r in runs("daily")] == [
        (utc(2024, 1, d), utc(2024, 1, d), utc(2024, 1, d + 1)) for d in (1, 2, 3)
    ]
    dag = dag_row("daily")
    assert dag.next_dagrun == utc(2024, 1, 4)
    assert dag.next_dagrun_create_after == utc(2024, 1, 5)


def test_without_catchup_only_the_latest_interval_runs(db):
    publish(dag_doc("daily", ["a"], schedule=DAILY, catchup=False))
    create(utc(2024, 1, 4, 12))
    assert [r[0] for r in runs("daily")] == [utc(2024, 1, 3)]


def test_creating_twice_makes_no_duplicate_runs(db):
    publish(dag_doc("daily", ["a"], schedule=DAILY, catchup=True))
    create(utc(2024, 1, 3, 12))
    create(utc(2024, 1, 3, 12))
    create(utc(2024, 1, 4, 1))
    assert [r[0] for r in runs("daily")] == [utc(2024, 1, 1), utc(2024, 1, 2), utc(2024, 1, 3)]


def test_dst_crossing_cron_in_amsterdam_is_stored_as_utc(db):
    publish(
        dag_doc(
            "amsterdam",
            ["a"],
            schedule={"kind": "cron", "expression": "0 1 * * *", "seconds": None},
            timezone="Europe/Amsterdam",
            start_date="2024-03-29T00:00:00+00:00",  # 01:00 CET
            catchup=True,
        )
    )
    create(utc(2024, 4, 3))
    # 01:00 local is 00:00 UTC in winter time and 23:00 UTC the day before in summer time
    # (clocks went forward on 31 March): the interval that crosses the change lasts 23 h.
    assert [r[:3] for r in runs("amsterdam")] == [
        (utc(2024, 3, 29), utc(2024, 3, 29), utc(2024, 3, 30)),
        (utc(2024, 3, 30), utc(2024, 3, 30), utc(2024, 3, 31)),
        (utc(2024, 3, 31), utc(2024, 3, 31), utc(2024, 3, 31, 23)),
        (utc(2024, 3, 31, 23), utc(2024, 3, 31, 23), utc(2024, 4, 1, 23)),
        (utc(2024, 4, 1, 23), utc(2024, 4, 1, 23), utc(2024, 4, 2, 23)),
    ]


def test_max_active_runs_holds_back_creation_until_runs_finish(db):
    publish(dag_doc("limited", ["a"], schedule=DAILY, catchup=True, max_active_runs=2))
    now = utc(2024, 1, 6)
    create(now)
    assert len(runs("limited")) == 2
    with transaction() as session:
        session.execute(update(DagRun).values(state=RunState.SUCCESS))
    create(now)
    assert [r[0] for r in runs("limited")] == [utc(2024, 1, d) for d in (1, 2, 3, 4)]


def test_paused_and_inactive_dags_get_no_scheduled_runs(db):
    publish(dag_doc("paused", ["a"], schedule=DAILY, catchup=True), is_paused=True)
    publish(dag_doc("gone", ["a"], schedule=DAILY, catchup=True), is_active=False)
    create(utc(2024, 1, 4))
    assert runs("paused") == [] and runs("gone") == []


def test_end_date_stops_the_schedule_and_clears_the_next_run(db):
    publish(
        dag_doc("ending", ["a"], schedule=DAILY, catchup=True, end_date="2024-01-02T00:00:00+00:00")
    )
    exhausted: set = set()
    create(utc(2024, 1, 10), exhausted)
    assert [r[0] for r in runs("ending")] == [utc(2024, 1, 1), utc(2024, 1, 2)]
    assert dag_row("ending").next_dagrun_create_after is None
    assert [dag_id for dag_id, _ in exhausted] == ["ending"]


def test_a_manual_run_at_a_scheduled_logical_date_is_not_duplicated(db):
    publish(dag_doc("daily", ["a"], schedule=DAILY, catchup=True))
    trigger("daily", logical_date=utc(2024, 1, 2))
    create(utc(2024, 1, 3, 12))
    assert [r[0] for r in runs("daily")] == [utc(2024, 1, 1), utc(2024, 1, 2)]


def test_starting_a_queued_run_creates_its_task_instances_from_its_version(db):
    publish(dag_doc("two", [task_doc("a", retries=2), "b"], [("a", "b")]))
    run_pk = trigger("two")
    publish(dag_doc("two", ["a", "b", "c"]))  # a newer version must not leak into the run
    now = utc(2024, 5, 1)
    start(now)
    with read_session() as session:
        run = session.get(DagRun, run_pk)
        tis = session.execute(
            select(
                TaskInstance.task_id,
                TaskInstance.state,
                TaskInstance.try_number,
                TaskInstance.max_tries,
            )
            .where(TaskInstance.dag_run_id == run_pk)
            .order_by(TaskInstance.task_id)
        ).all()
    assert (run.state, run.start_date) == (RunState.RUNNING, now)
    assert [tuple(t) for t in tis] == [("a", None, 0, 3), ("b", None, 0, 1)]


def test_queued_runs_wait_for_max_active_runs(db):
    publish(dag_doc("one_at_a_time", ["a"], max_active_runs=1))
    first = trigger("one_at_a_time", "r1", logical_date=utc(2024, 1, 1))
    second = trigger("one_at_a_time", "r2", logical_date=utc(2024, 1, 2))
    start(utc(2024, 5, 1))
    start(utc(2024, 5, 1) + timedelta(seconds=1))
    with read_session() as session:
        states = [session.get(DagRun, pk).state for pk in (first, second)]
    assert states == [RunState.RUNNING, RunState.QUEUED]

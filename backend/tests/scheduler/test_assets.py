"""The assets table: producers' successes become events, conditions become asset-triggered runs.

Each case is one DAG file run for real (scheduler passes and the runner in
this process, see :mod:`.inline`) on SQLite and PostgreSQL. A step triggers
producer DAGs (all of them before the next scheduler pass, so their events
are queued together) and drives passes until nothing is left to do; the
table gives, per consuming DAG, the runs it got and the events each
consumed, as (asset URI, producing DAG). Two producers updating one asset
before the scheduler's pass make ONE run consuming both events (the peer's
semantics); a later event makes a second run.
"""

import json
import textwrap
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from dagkeeper import db as database
from dagkeeper.models import (
    RETURN_KEY,
    Asset,
    AssetEvent,
    AssetEventQueue,
    ChangeLog,
    DagRun,
    DagRunAssetEvent,
    RunState,
    RunType,
    TaskInstance,
    XCom,
)
from dagkeeper.models.asset_events import publish_dag_assets, record_asset_event
from dagkeeper.models.queries import document_of
from dagkeeper.scheduler.assets import create_asset_triggered_runs
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.scheduler.loop import Scheduler

from .factories import publish_dag_file, trigger
from .inline import InlineExecutor

HEADER = """
from dagkeeper import DAG, Asset, AssetAlias, task
from dagkeeper.operators import EmptyOperator, PythonOperator, TaskFailed

A, B = Asset("s3://lake/a"), Asset("s3://lake/b", extra={"format": "parquet"})

def produce(name, outlets, schedule=None):
    with DAG(name, schedule=schedule):
        EmptyOperator(task_id="make", outlets=outlets)

def consume(name, schedule):
    with DAG(name, schedule=schedule):
        EmptyOperator(task_id="use")
"""

CASES = {
    "single_asset": (
        """
        produce("p", [A])
        consume("c", [A])
        """,
        [["p"], ["p"]],
        {"c": [[("s3://lake/a", "p")], [("s3://lake/a", "p")]]},
    ),
    "and_waits_for_every_asset": (
        """
        produce("pa", [A]); produce("pb", [B])
        consume("c", A & B)
        """,
        [["pa"], ["pa"], ["pb"]],
        {"c": [[("s3://lake/a", "pa"), ("s3://lake/a", "pa"), ("s3://lake/b", "pb")]]},
    ),
    "list_schedule_means_all": (
        """
        produce("pa", [A]); produce("pb", [B])
        consume("c", [A, B])
        """,
        [["pa"], ["pb"]],
        {"c": [[("s3://lake/a", "pa"), ("s3://lake/b", "pb")]]},
    ),
    "or_runs_for_either_asset": (
        """
        produce("pa", [A]); produce("pb", [B])
        consume("c", A | B)
        """,
        [["pa"], ["pb"]],
        {"c": [[("s3://lake/a", "pa")], [("s3://lake/b", "pb")]]},
    ),
    "nested_condition": (
        """
        produce("pa", [A]); produce("pb", [B]); produce("pc", [Asset("s3://lake/c")])
        consume("c", (A & B) | Asset("s3://lake/c"))
        """,
        [["pa"], ["pc"], ["pb"], ["pa"]],  # b alone satisfies nothing; with a again it does
        {
            "c": [
                [("s3://lake/a", "pa"), ("s3://lake/c", "pc")],
                [("s3://lake/a", "pa"), ("s3://lake/b", "pb")],
            ]
        },  # fmt: skip
    ),
    "two_producers_before_a_pass_make_one_run": (
        """
        produce("p1", [A]); produce("p2", [A])
        consume("c", [A])
        """,
        [["p1", "p2"], ["p2"]],
        {"c": [[("s3://lake/a", "p1"), ("s3://lake/a", "p2")], [("s3://lake/a", "p2")]]},
    ),
    "every_consumer_gets_its_own_run": (
        """
        produce("p", [A, B])
        consume("c1", [A]); consume("c2", [B]); consume("c3", [A, B])
        """,
        [["p"]],
        {
            "c1": [[("s3://lake/a", "p")]],
            "c2": [[("s3://lake/b", "p")]],
            "c3": [[("s3://lake/a", "p"), ("s3://lake/b", "p")]],
        },
    ),
    "alias_resolves_to_the_assets_emitted_through_it": (
        """
        def emit(outlet_events):
            outlet_events[AssetAlias("daily")].add(Asset("s3://lake/x"), extra={"day": 1})
        with DAG("p", schedule=None):
            PythonOperator(task_id="make", python_callable=emit, outlets=[AssetAlias("daily")])
        consume("by_alias", [AssetAlias("daily")])
        consume("by_asset", [Asset("s3://lake/x")])
        consume("other", [A])
        """,
        [["p"]],
        {
            "by_alias": [[("s3://lake/x", "p")]],
            "by_asset": [[("s3://lake/x", "p")]],
            "other": [],
        },
    ),
    "the_consumer_reads_its_triggering_events": (
        """
        def emit(outlet_events):
            outlet_events[A].extra["rows"] = 5
        with DAG("p", schedule=None):
            PythonOperator(task_id="make", python_callable=emit, outlets=[A])
        def check(triggering_asset_events):
            events = triggering_asset_events[A]
            assert [(e.source_dag_id, e.extra) for e in events] == [("p", {"rows": 5})], events
            assert list(triggering_asset_events) == ["s3://lake/a"]
        with DAG("c", schedule=[A]):
            PythonOperator(task_id="use", python_callable=check)
        """,
        [["p"]],
        {"c": [[("s3://lake/a", "p")]]},  # and its run succeeded: the task's asserts held
    ),
    "a_failed_producer_records_no_event": (
        """
        def fail():
            raise TaskFailed("on purpose")
        with DAG("p", schedule=None):
            PythonOperator(task_id="make", python_callable=fail, outlets=[A])
        consume("c", [A])
        """,
        [["p"]],
        {"c": []},
    ),
    "a_paused_consumer_is_not_queued": (
        """
        produce("p", [A])
        consume("c", [A])
        consume("paused", [A])
        """,
        [["p"]],
        {"c": [[("s3://lake/a", "p")]], "paused": []},
    ),
}


def publish_with_assets(path, dags_folder) -> list[str]:
    """Publish a file's DAGs and register their assets, as the processor does."""
    dag_ids = publish_dag_file(path, dags_folder)
    with database.transaction() as session:
        from dagkeeper.models import Dag

        for dag_id in dag_ids:
            dag = session.get(Dag, dag_id)
            publish_dag_assets(session, dag_id, document_of(session, dag.current_version_id))
            dag.is_paused = dag_id == "paused"
    return dag_ids


def drive(scheduler: Scheduler, passes: int = 60) -> None:
    """Scheduler passes until no run is queued or running and no event waits to be consumed."""
    for _ in range(passes):
        scheduler.run_once()
        with database.read_session() as session:
            busy = session.scalar(
                select(DagRun.id).where(DagRun.state.in_((RunState.QUEUED, RunState.RUNNING)))
            )
        if busy is None:
            scheduler.run_once()  # one more: a run the last events made possible
            with database.read_session() as session:
                if session.scalar(select(DagRun.id).where(DagRun.state == RunState.QUEUED)):
                    continue
            return
    raise AssertionError("runs did not finish")


def consumed() -> dict[str, list[list[tuple[str, str]]]]:
    """Per DAG, its asset-triggered runs in order, each as its sorted (uri, source DAG) events."""
    with database.read_session() as session:
        rows = session.execute(
            select(DagRun.dag_id, DagRun.id, Asset.uri, AssetEvent.source_dag_id)
            .join(DagRunAssetEvent, DagRunAssetEvent.dag_run_id == DagRun.id)
            .join(AssetEvent, AssetEvent.id == DagRunAssetEvent.event_id)
            .join(Asset, Asset.id == AssetEvent.asset_id)
            .where(DagRun.run_type == RunType.ASSET_TRIGGERED)
            .order_by(DagRun.id)
        ).all()
    runs: dict[str, dict[int, list[tuple[str, str]]]] = {}
    for dag_id, run_pk, uri, source in rows:
        runs.setdefault(dag_id, {}).setdefault(run_pk, []).append((uri, source))
    return {dag_id: [sorted(e) for e in by_run.values()] for dag_id, by_run in runs.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_assets_table(name, db, dags_folder):
    body, steps, expected = CASES[name]
    path = dags_folder / f"{name}.py"
    path.write_text(HEADER + textwrap.dedent(body))
    publish_with_assets(path, dags_folder)
    scheduler = Scheduler(executor=InlineExecutor())
    for number, producers in enumerate(steps):
        for producer in producers:
            trigger(producer, run_id=f"manual__{number}_{producer}")
        drive(scheduler)
    found = consumed()
    assert {dag_id: found.get(dag_id, []) for dag_id in expected} == expected
    with database.read_session() as session:
        states = session.scalars(
            select(DagRun.state).where(DagRun.run_type == RunType.ASSET_TRIGGERED)
        )
        assert set(states) <= {RunState.SUCCESS}
    with database.read_session() as session:
        left = session.scalars(select(AssetEventQueue.dag_id)).all()
    assert set(left) <= {dag_id for dag_id, runs in expected.items() if not runs}


def test_event_extra_and_source_are_recorded(db, dags_folder):
    path = dags_folder / "extra.py"
    path.write_text(
        HEADER
        + textwrap.dedent(
            """
            def emit(outlet_events):
                outlet_events[B].extra["rows"] = 42
            with DAG("p", schedule=None):
                PythonOperator(task_id="make", python_callable=emit, outlets=[A, B])
            """
        )
    )
    publish_with_assets(path, dags_folder)
    trigger("p", run_id="manual__x")
    drive(Scheduler(executor=InlineExecutor()))
    with database.read_session() as session:
        events = session.execute(
            select(
                Asset.uri,
                AssetEvent.extra,
                AssetEvent.source_dag_id,
                AssetEvent.source_run_id,
                AssetEvent.source_task_id,
                AssetEvent.source_map_index,
            )
            .join(Asset, Asset.id == AssetEvent.asset_id)
            .order_by(Asset.uri)
        ).all()
    assert [tuple(e) for e in events] == [
        ("s3://lake/a", "{}", "p", "manual__x", "make", -1),
        ("s3://lake/b", '{"rows": 42}', "p", "manual__x", "make", -1),
    ]
    with database.read_session() as session:  # the live view refreshes the assets pages
        assert (
            session.scalar(
                select(func.count()).select_from(ChangeLog).where(ChangeLog.kind == "asset")
            )
            == 1
        )


def test_an_event_created_outside_a_task_triggers_a_run(db, dags_folder):
    """What ``POST /api/v1/assets/events`` writes (tests/api cover the endpoint itself)."""
    path = dags_folder / "outside.py"
    path.write_text(HEADER + 'consume("c", [A])\n')
    publish_with_assets(path, dags_folder)
    with database.transaction() as session:
        record_asset_event(session, {"uri": "s3://lake/a"}, {"by": "api"}, created_by="admin")
    drive(Scheduler(executor=InlineExecutor()))
    assert consumed() == {"c": [[("s3://lake/a", None)]]}


def test_two_schedulers_never_consume_the_same_events(db, db_url, dags_folder):
    """PostgreSQL: the second scheduler skips the DAG the first holds, then finds nothing left."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: one scheduler")
    path = dags_folder / "race.py"
    path.write_text(HEADER + 'consume("c", [A])\n')
    publish_with_assets(path, dags_folder)
    with database.transaction() as session:
        record_asset_event(session, {"uri": "s3://lake/a"}, {})
    now = datetime(2024, 6, 1, tzinfo=UTC)
    with database.transaction() as first:
        assert create_asset_triggered_runs(first, DocumentCache(), now) == [("c", "run")]
        with database.transaction() as second:
            assert create_asset_triggered_runs(second, DocumentCache(), now) == []
    with database.transaction() as third:
        assert create_asset_triggered_runs(third, DocumentCache(), now) == []
    assert consumed() == {"c": [[("s3://lake/a", None)]]}


def test_a_task_reads_its_inlets_events_newest_last(db, dags_folder):
    """``inlet_events[asset]``: every event of an inlet asset, oldest first, with its extra,
    timestamp and source; an asset that is not an inlet of the task is refused."""
    path = dags_folder / "inlets.py"
    path.write_text(
        HEADER
        + textwrap.dedent(
            """
            def emit(outlet_events, dag_run):
                outlet_events[A].extra["run"] = dag_run.run_id
            with DAG("p", schedule=None):
                PythonOperator(task_id="make", python_callable=emit, outlets=[A])
            def read(inlet_events):
                try:
                    inlet_events[B]
                except KeyError as error:
                    refused = str(error)
                events = inlet_events[A]
                assert all(a.timestamp <= b.timestamp for a, b in zip(events, events[1:]))
                return {
                    "inlets": list(inlet_events), "refused": refused, "empty": inlet_events["s3://lake/c"],
                    "events": [[e.uri, e.extra, e.source_dag_id, e.source_run_id, e.source_task_id,
                                e.source_map_index] for e in events],
                }
            with DAG("r", schedule=None):
                PythonOperator(task_id="read", python_callable=read,
                               inlets=[A, Asset("s3://lake/c")])
            """
        )
    )
    publish_with_assets(path, dags_folder)
    scheduler = Scheduler(executor=InlineExecutor())
    for number in (1, 2):
        trigger("p", run_id=f"manual__{number}")
        drive(scheduler)
    run_pk = trigger("r", run_id="manual__read")
    drive(scheduler)
    with database.read_session() as session:
        value = session.scalar(
            select(XCom.value)
            .join(TaskInstance, TaskInstance.id == XCom.task_instance_id)
            .where(TaskInstance.dag_run_id == run_pk, XCom.key == RETURN_KEY)
        )
    assert json.loads(value) == {
        "inlets": ["s3://lake/a", "s3://lake/c"],
        "refused": "'s3://lake/b is not an inlet of task read'",
        "empty": [],
        "events": [
            ["s3://lake/a", {"run": "manual__1"}, "p", "manual__1", "make", -1],
            ["s3://lake/a", {"run": "manual__2"}, "p", "manual__2", "make", -1],
        ],
    }

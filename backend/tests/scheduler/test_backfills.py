"""Backfills: the dry run is what gets created; the scheduler keeps to the cap, pause and cancel."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from dagkeeper.backfills import (
    BackfillError,
    BackfillRequest,
    cancel_backfill,
    create_backfill,
    plan_backfill,
    set_paused,
)
from dagkeeper.db import read_session, transaction
from dagkeeper.models import Backfill, Dag, DagRun, RunState, TaskInstance, TaskInstanceHistory
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.scheduler.runs import (
    complete_backfills,
    finished_backfills_exist,
    queued_runs_exist,
    start_queued_runs,
)

from .factories import dag_doc, publish

DAILY = {"kind": "preset", "expression": "@daily", "seconds": None}
NOW = datetime(2024, 2, 1, 12, tzinfo=UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def request(**overrides) -> BackfillRequest:
    fields = {"dag_id": "daily", "from_date": utc(2024, 1, 1), "to_date": utc(2024, 1, 5),
              **overrides}  # fmt: skip
    return BackfillRequest(**fields)


def dry_run(**overrides) -> list[tuple[str, str]]:
    with read_session() as s:
        plan = plan_backfill(s, s.get(Dag, "daily"), request(**overrides), NOW)
        return [(p.logical_date.date().isoformat(), p.action) for p in plan]


def create(**overrides) -> int:
    with transaction() as s:
        backfill, _ = create_backfill(s, s.get(Dag, "daily"), request(**overrides), NOW, "ann")
        return backfill.id


def backfill_runs(backfill_id: int) -> list[tuple[str, str, str]]:
    """(date, run type, state) of the backfill's runs, in the order they start."""
    with read_session() as s:
        rows = s.execute(
            select(DagRun.logical_date, DagRun.run_type, DagRun.state)
            .where(DagRun.backfill_id == backfill_id)
            .order_by(DagRun.queued_at, DagRun.id)
        )
        return [(d.date().isoformat(), t, st) for d, t, st in rows]


def start() -> None:
    with transaction() as s:
        start_queued_runs(s, DocumentCache(), NOW)


def finish(date: datetime, state: str = RunState.SUCCESS) -> None:
    with transaction() as s:
        s.execute(
            update(DagRun)
            .where(DagRun.dag_id == "daily", DagRun.logical_date == date)
            .values(state=state)
        )


def existing_run(day: int, state: str) -> None:
    with transaction() as s:
        run = DagRun(
            dag_id="daily", run_id=f"scheduled__{day}", run_type="scheduled", state=state,
            logical_date=utc(2024, 1, day), data_interval_start=utc(2024, 1, day),
            data_interval_end=utc(2024, 1, day + 1), conf="{}",
            dag_version_id=s.get(Dag, "daily").current_version_id,
        )  # fmt: skip
        s.add(run)
        s.flush()
        s.add(TaskInstance(dag_run_id=run.id, dag_id="daily", task_id="a", operator="Empty",
                           try_number=1, max_tries=1, state="failed"))  # fmt: skip


@pytest.fixture
def daily(db):
    publish(dag_doc("daily", ["a"], schedule=DAILY, max_active_runs=1))
    existing_run(2, RunState.SUCCESS)
    existing_run(3, RunState.FAILED)
    existing_run(4, RunState.RUNNING)


@pytest.mark.parametrize(
    ("reprocess", "expected"),
    [
        ("none", [("2024-01-01", "create"), ("2024-01-05", "create")]),
        ("failed", [("2024-01-01", "create"), ("2024-01-03", "reprocess"),
                    ("2024-01-05", "create")]),
        ("completed", [("2024-01-01", "create"), ("2024-01-02", "reprocess"),
                       ("2024-01-03", "reprocess"), ("2024-01-05", "create")]),
    ],
)  # fmt: skip
def test_the_dry_run_lists_exactly_the_runs_created(daily, reprocess, expected):
    planned = dry_run(reprocess_behavior=reprocess)
    backfill_id = create(reprocess_behavior=reprocess)
    assert planned == expected
    assert [(d, "reprocess" if t == "backfill" and d in ("2024-01-02", "2024-01-03") else "create")
            for d, t, _ in backfill_runs(backfill_id)] == expected  # fmt: skip
    assert {state for _, _, state in backfill_runs(backfill_id)} == {RunState.QUEUED}


def test_rerunning_failed_only_clears_the_failed_run_and_keeps_its_try(daily):
    backfill_id = create(reprocess_behavior="failed")
    with read_session() as s:
        runs = {r.logical_date.day: r for r in s.scalars(select(DagRun))}
        ti = s.scalar(select(TaskInstance).where(TaskInstance.dag_run_id == runs[3].id))
        history = s.scalars(select(TaskInstanceHistory.try_number)).all()
        assert (runs[3].state, runs[3].run_type, runs[3].backfill_id) == (
            "queued",
            "backfill",
            backfill_id,
        )
        assert (runs[2].state, runs[2].run_type, runs[2].backfill_id) == (
            "success",
            "scheduled",
            None,
        )
        assert (runs[4].state, runs[4].backfill_id) == ("running", None)
        assert (ti.state, ti.max_tries, history) == (None, 2, [1])


def test_a_backfill_runs_at_most_its_max_active_runs_whatever_the_dags_limit(daily):
    backfill_id = create(from_date=utc(2024, 1, 5), to_date=utc(2024, 1, 9), max_active_runs=2)
    start()
    start()
    assert [s for _, _, s in backfill_runs(backfill_id)] == ["running"] * 2 + ["queued"] * 3
    finish(utc(2024, 1, 5))
    start()
    assert [s for _, _, s in backfill_runs(backfill_id)] == [
        "success", "running", "running", "queued", "queued"]  # fmt: skip


def test_run_backwards_starts_the_newest_date_first(daily):
    backfill_id = create(from_date=utc(2024, 1, 5), to_date=utc(2024, 1, 7), max_active_runs=1,
                         run_backwards=True)  # fmt: skip
    start()
    assert backfill_runs(backfill_id) == [
        ("2024-01-07", "backfill", "running"), ("2024-01-06", "backfill", "queued"),
        ("2024-01-05", "backfill", "queued")]  # fmt: skip


def test_a_paused_backfill_starts_nothing_until_unpaused(daily):
    backfill_id = create(from_date=utc(2024, 1, 5), to_date=utc(2024, 1, 6))
    with transaction() as s:
        set_paused(s.get(Backfill, backfill_id), True)
    start()
    with read_session() as s:
        assert not queued_runs_exist(s)
    assert [st for _, _, st in backfill_runs(backfill_id)] == ["queued", "queued"]
    with transaction() as s:
        set_paused(s.get(Backfill, backfill_id), False)
    start()
    assert [st for _, _, st in backfill_runs(backfill_id)] == ["running", "running"]


def test_cancel_mid_way_fails_the_queued_runs_lets_running_ones_finish_and_completes(daily):
    backfill_id = create(from_date=utc(2024, 1, 5), to_date=utc(2024, 1, 8), max_active_runs=1)
    start()
    with transaction() as s:
        assert cancel_backfill(s, s.get(Backfill, backfill_id), NOW) == 3
    assert [st for _, _, st in backfill_runs(backfill_id)] == ["running", "failed", "failed",
                                                               "failed"]  # fmt: skip
    with read_session() as s:
        backfill = s.get(Backfill, backfill_id)
        assert (backfill.is_paused, backfill.completed_at) == (True, NOW)
    with transaction() as s:
        assert cancel_backfill(s, s.get(Backfill, backfill_id), utc(2024, 3, 1)) == 0
        assert s.get(Backfill, backfill_id).completed_at == NOW
    with transaction() as s, pytest.raises(BackfillError, match="already completed"):
        set_paused(s.get(Backfill, backfill_id), False)


def test_a_backfill_completes_when_its_last_run_finishes(daily):
    backfill_id = create(from_date=utc(2024, 1, 5), to_date=utc(2024, 1, 6))
    start()
    finish(utc(2024, 1, 5))
    with read_session() as s:
        assert not finished_backfills_exist(s)
    finish(utc(2024, 1, 6), RunState.FAILED)
    with transaction() as s:
        assert complete_backfills(s, DocumentCache(), NOW) == [("daily", "run")]
    with read_session() as s:
        assert s.get(Backfill, backfill_id).completed_at == NOW


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"from_date": utc(2024, 1, 6), "to_date": utc(2024, 1, 5)}, "to_date", "before"),
        ({"from_date": utc(2020, 1, 1), "to_date": utc(2023, 1, 1)}, "to_date", "more than 1000"),
        ({"from_date": utc(2024, 3, 1), "to_date": utc(2024, 3, 5)}, "to_date", "no completed"),
    ],
)
def test_ranges_that_cannot_be_backfilled_name_the_field(daily, overrides, field, message):
    with pytest.raises(BackfillError, match=message) as caught:
        dry_run(**overrides)
    assert caught.value.field == field


def test_one_backfill_per_dag_at_a_time(daily):
    create(from_date=utc(2024, 1, 5), to_date=utc(2024, 1, 6))
    with pytest.raises(BackfillError, match="already has a backfill") as caught:
        create(from_date=utc(2024, 1, 7), to_date=utc(2024, 1, 8))
    assert caught.value.status == 409


def test_a_range_with_nothing_to_do_is_recorded_completed(daily):
    backfill_id = create(from_date=utc(2024, 1, 2), to_date=utc(2024, 1, 4))
    assert backfill_runs(backfill_id) == []
    with read_session() as s:
        assert s.get(Backfill, backfill_id).completed_at == NOW

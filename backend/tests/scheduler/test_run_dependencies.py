"""Priority weights, depends_on_past / wait_for_downstream and dagrun_timeout in one pass."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from dagkeeper.db import transaction
from dagkeeper.models import DagRun, TaskInstance, utcnow
from dagkeeper.scheduler.documents import effective_weights
from dagkeeper.serialization import dumps, loads

from .factories import dag_doc, publish, run_state, task_doc, ti_states, trigger
from .test_task_instances import one_pass


def test_the_heaviest_ready_task_is_queued_first(sqlite_db):
    publish(dag_doc("prio", [
        task_doc("light"), task_doc("heavy", priority_weight=10), task_doc("mid"),
        task_doc("after_mid"), task_doc("after_after"),
    ], [("mid", "after_mid"), ("after_mid", "after_after")]))  # fmt: skip
    trigger("prio")
    # heavy: 10; mid: 1 + its two downstream tasks = 3; light: 1
    assert [k.task_id for k in one_pass(parallelism=2)] == ["heavy", "mid"]


def test_weight_rules_sum_downstream_upstream_or_nothing():
    doc = loads(dumps(dag_doc("w", [
        task_doc("a", priority_weight=2), task_doc("b", weight_rule="upstream"),
        task_doc("c", weight_rule="absolute", priority_weight=5), task_doc("d"),
    ], [("a", "b"), ("b", "c"), ("a", "d"), ("d", "c")])))  # fmt: skip
    assert effective_weights(doc, ("a", "b", "d", "c")) == {"a": 2 + 1 + 5 + 1, "b": 1 + 2,
                                                             "c": 5, "d": 1 + 5}  # fmt: skip


def _fail(run_pk: int, task_id: str, state: str = "failed") -> None:
    with transaction() as session:
        session.execute(
            update(TaskInstance)
            .where(TaskInstance.dag_run_id == run_pk, TaskInstance.task_id == task_id)
            .values(state=state)
        )


def test_depends_on_past_waits_for_the_previous_runs_success(sqlite_db):
    publish(dag_doc("past", [task_doc("t", depends_on_past=True), "free"]))
    first = trigger("past", "r1", logical_date=datetime(2024, 1, 1, tzinfo=UTC))
    one_pass()
    _fail(first, "t")
    second = trigger("past", "r2", logical_date=datetime(2024, 1, 2, tzinfo=UTC))
    one_pass()
    assert ti_states(second) == {"t": None, "free": "queued"}
    _fail(first, "t", "success")
    one_pass()
    assert ti_states(second)["t"] == "queued"


def test_wait_for_downstream_also_waits_for_the_previous_runs_downstream(sqlite_db):
    publish(dag_doc("wfd", [task_doc("t", wait_for_downstream=True, depends_on_past=True), "u"],
                    [("t", "u")]))  # fmt: skip
    first = trigger("wfd", "r1", logical_date=datetime(2024, 1, 1, tzinfo=UTC))
    one_pass()
    _fail(first, "t", "success")
    second = trigger("wfd", "r2", logical_date=datetime(2024, 1, 2, tzinfo=UTC))
    one_pass()
    assert ti_states(second)["t"] is None  # u of r1 has not finished
    _fail(first, "u", "skipped")
    one_pass()
    assert ti_states(second)["t"] == "queued"


def test_a_run_past_its_dagrun_timeout_fails_and_skips_what_is_unfinished(sqlite_db):
    publish(dag_doc("slow", ["a", "b"], [("a", "b")], dagrun_timeout=60))
    run_pk = trigger("slow")
    one_pass()
    assert ti_states(run_pk) == {"a": "queued", "b": None}
    with transaction() as session:
        session.execute(update(DagRun).values(start_date=utcnow() - timedelta(seconds=61)))
    one_pass()
    assert (run_state(run_pk), ti_states(run_pk)) == ("failed", {"a": "skipped", "b": "skipped"})

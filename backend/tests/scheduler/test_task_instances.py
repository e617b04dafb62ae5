"""One scheduling pass: propagation down a chain, parallelism and max_active_tasks."""

from sqlalchemy import update

from dagkeeper.db import read_session, transaction
from dagkeeper.models import TaskInstance, utcnow
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.scheduler.runs import start_queued_runs
from dagkeeper.scheduler.slots import SlotLimits
from dagkeeper.scheduler.task_instances import apply_plan, plan_task_instances

from .factories import dag_doc, publish, run_state, ti_states, trigger


def one_pass(parallelism: int = 16):
    documents, now = DocumentCache(), utcnow()
    with transaction() as session:
        start_queued_runs(session, documents, now)
    with read_session() as session:
        plan = plan_task_instances(session, documents, now, SlotLimits(parallelism))
    with transaction() as session:
        return apply_plan(session, plan, now)


def test_a_failure_propagates_down_the_chain_in_one_pass_and_fails_the_run(sqlite_db):
    publish(dag_doc("chain", ["a", "b", "c"], [("a", "b"), ("b", "c")]))
    run_pk = trigger("chain")
    assert [k.task_id for k in one_pass()] == ["a"]
    with transaction() as session:
        session.execute(
            update(TaskInstance).where(TaskInstance.task_id == "a").values(state="failed")
        )
    one_pass()
    assert ti_states(run_pk) == {"a": "failed", "b": "upstream_failed", "c": "upstream_failed"}
    one_pass()
    assert run_state(run_pk) == "failed"


def test_queueing_respects_parallelism_and_max_active_tasks(sqlite_db):
    publish(dag_doc("wide", [f"t{i}" for i in range(6)], max_active_tasks=3))
    trigger("wide")
    first = one_pass(parallelism=2)
    assert [k.try_number for k in first] == [1, 1]
    assert len(one_pass(parallelism=16)) == 1  # 2 active + 1 = max_active_tasks
    assert one_pass(parallelism=16) == []


def test_a_reopened_run_whose_leaf_was_marked_failed_ends_failed(sqlite_db):
    from dagkeeper.models import DagRun

    publish(dag_doc("pair", ["a", "b"], [("a", "b")]))
    run_pk = trigger("pair")
    with transaction() as session:
        start_queued_runs(session, DocumentCache(), utcnow())
        session.execute(update(TaskInstance).values(state="success"))
    one_pass()
    assert run_state(run_pk) == "success"
    with transaction() as session:  # what the API's "mark failed" writes
        session.execute(
            update(TaskInstance).where(TaskInstance.task_id == "b").values(state="failed")
        )
        session.get(DagRun, run_pk).reopen()
    assert run_state(run_pk) == "running"
    one_pass()
    assert run_state(run_pk) == "failed"

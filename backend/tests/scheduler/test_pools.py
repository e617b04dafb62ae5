"""Pools limit how many task slots run at once, across DAGs, counted from the database."""

from sqlalchemy import update

from dagkeeper.db import transaction
from dagkeeper.models import Pool, TaskInstance

from .factories import dag_doc, publish, task_doc, ti_states, trigger
from .test_task_instances import one_pass


def _add_pool(name: str, slots: int) -> None:
    with transaction() as session:
        session.add(Pool(pool=name, slots=slots))


def _finish(task_ids: list[str]) -> None:
    with transaction() as session:
        session.execute(
            update(TaskInstance).where(TaskInstance.task_id.in_(task_ids)).values(state="success")
        )


def test_a_pool_caps_running_slots_across_dags_and_frees_them_when_tasks_end(db):
    _add_pool("api", 3)
    publish(dag_doc("one", [task_doc(f"a{i}", pool="api") for i in range(3)]), fileloc="one.py")
    publish(dag_doc("two", [task_doc(f"b{i}", pool="api") for i in range(3)]), fileloc="two.py")
    trigger("one")
    trigger("two")
    first = [k.task_id for k in one_pass()]
    assert len(first) == 3
    assert [k.task_id for k in one_pass()] == []  # the pool is full
    _finish(first[:2])
    assert len(one_pass()) == 2


def test_pool_slots_count_each_task_as_that_many(db):
    _add_pool("heavy", 4)
    tasks = [task_doc("big", pool="heavy", pool_slots=3), task_doc("small", pool="heavy")]
    publish(dag_doc("weights", tasks + [task_doc("big2", pool="heavy", pool_slots=3)]))
    trigger("weights")
    assert sorted(k.task_id for k in one_pass()) == ["big", "small"]  # 3 + 1 of 4
    _finish(["big"])
    assert [k.task_id for k in one_pass()] == ["big2"]


def test_tasks_without_a_pool_use_the_default_pool(db):
    with transaction() as session:
        session.execute(update(Pool).where(Pool.pool == "default_pool").values(slots=2))
    publish(dag_doc("plain", ["t0", "t1", "t2"]))
    run_pk = trigger("plain")
    assert len(one_pass()) == 2
    assert sorted(ti_states(run_pk).values(), key=str) == ["queued", "queued", "scheduled"]


def test_a_task_naming_a_missing_pool_waits_until_the_pool_exists(db):
    publish(dag_doc("lost", [task_doc("t", pool="nowhere"), "other"]))
    run_pk = trigger("lost")
    assert [k.task_id for k in one_pass()] == ["other"]
    assert ti_states(run_pk)["t"] == "scheduled"
    _add_pool("nowhere", 1)
    assert [k.task_id for k in one_pass()] == ["t"]

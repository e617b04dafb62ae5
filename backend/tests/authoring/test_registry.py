"""registry.capture(): every DAG constructed while active, wherever it is built."""

import pytest

from dagkeeper import DAG, dag
from dagkeeper.authoring.registry import capture
from dagkeeper.operators import EmptyOperator


def test_capture_collects_dags_from_loops_functions_and_dag_calls():
    def build(name):
        return DAG(name)

    @dag
    def decorated():
        EmptyOperator(task_id="t")

    with capture() as dags:
        for i in range(2):
            DAG(f"loop_{i}")
        build("from_function")
        decorated()
        DAG("no_tasks")
    assert [d.dag_id for d in dags] == [
        "loop_0",
        "loop_1",
        "from_function",
        "decorated",
        "no_tasks",
    ]


def test_dags_built_outside_a_capture_are_not_collected():
    DAG("before")
    with capture() as dags:
        DAG("during")
    DAG("after")
    assert [d.dag_id for d in dags] == ["during"]


def test_nested_captures_each_receive_every_dag():
    with capture() as outer:
        DAG("one")
        with capture() as inner:
            DAG("two")
        DAG("three")
    assert [d.dag_id for d in outer] == ["one", "two", "three"]
    assert [d.dag_id for d in inner] == ["two"]


def test_capture_ends_even_when_the_file_raises():
    with pytest.raises(RuntimeError), capture() as dags:
        DAG("partial")
        raise RuntimeError("boom")
    DAG("later")
    assert [d.dag_id for d in dags] == ["partial"]


def test_failed_dag_construction_is_not_captured():
    with capture() as dags, pytest.raises(ValueError):
        DAG("bad id")
    assert dags == []

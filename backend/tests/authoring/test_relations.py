"""Edges between tasks: >>, <<, lists on either side, chain, set_upstream/set_downstream."""

import pytest

from dagkeeper import DAG, chain
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.to_document import serialize_dag
from dagkeeper.operators import EmptyOperator


def _edges(dag):
    return serialize_dag(dag)["edges"]


def _tasks(*ids):
    return [EmptyOperator(task_id=i) for i in ids]


def test_rshift_links_left_upstream_of_right_and_returns_right():
    with DAG("d") as d:
        a, b, c = _tasks("a", "b", "c")
        assert (a >> b >> c) is c
    assert _edges(d) == [["a", "b"], ["b", "c"]]
    assert b.upstream_task_ids == {"a"} and b.downstream_task_ids == {"c"}


def test_lshift_links_right_upstream_of_left():
    with DAG("d") as d:
        a, b = _tasks("a", "b")
        assert (a << b) is b
    assert _edges(d) == [["b", "a"]]


def test_list_on_the_left_of_rshift_links_every_item():
    with DAG("d") as d:
        a, b, c = _tasks("a", "b", "c")
        assert ([a, b] >> c) is c
    assert _edges(d) == [["a", "c"], ["b", "c"]]


def test_list_on_the_right_of_rshift_links_to_every_item():
    with DAG("d") as d:
        a, b, c = _tasks("a", "b", "c")
        assert (a >> [b, c]) == [b, c]
    assert _edges(d) == [["a", "b"], ["a", "c"]]


def test_list_on_either_side_of_lshift():
    with DAG("d") as d:
        a, b, c, x = _tasks("a", "b", "c", "x")
        [a, b] << x
        x << c
    assert _edges(d) == [["c", "x"], ["x", "a"], ["x", "b"]]


def test_set_upstream_and_set_downstream_accept_tasks_and_lists():
    with DAG("d") as d:
        a, b, c = _tasks("a", "b", "c")
        b.set_upstream(a)
        b.set_downstream([c])
    assert _edges(d) == [["a", "b"], ["b", "c"]]
    assert [t.task_id for t in b.upstream_list] == ["a"]
    assert [t.task_id for t in b.downstream_list] == ["c"]


def test_chain_links_items_in_order_with_fan_out_and_fan_in():
    with DAG("d") as d:
        a, b, c, e = _tasks("a", "b", "c", "e")
        chain(a, [b, c], e)
    assert _edges(d) == [["a", "b"], ["a", "c"], ["b", "e"], ["c", "e"]]


def test_chain_links_adjacent_lists_element_wise():
    with DAG("d") as d:
        a, b, c, x, y, z = _tasks("a", "b", "c", "x", "y", "z")
        chain([a, b, c], [x, y, z])
    assert _edges(d) == [["a", "x"], ["b", "y"], ["c", "z"]]


def test_chain_of_lists_with_different_lengths_is_an_error():
    with DAG("d"):
        a, b, x = _tasks("a", "b", "x")
        with pytest.raises(
            DagDefinitionError,
            match=r"chain\(\) cannot link lists of different lengths \(2 and 1\)",
        ):
            chain([a, b], [x])


def test_dependency_on_a_non_task_is_a_type_error():
    with DAG("d"):
        (a,) = _tasks("a")
        with pytest.raises(TypeError, match="Cannot set a dependency on 'b'"):
            a >> "b"


def test_dependency_between_two_dags_is_an_error():
    with DAG("one"):
        (a,) = _tasks("a")
    with DAG("two"):
        (b,) = _tasks("b")
    with pytest.raises(DagDefinitionError, match="belong to different DAGs"):
        a >> b


def test_repeated_dependency_makes_one_edge():
    with DAG("d") as d:
        a, b = _tasks("a", "b")
        a >> b
        a >> b
        b << a
    assert _edges(d) == [["a", "b"]]

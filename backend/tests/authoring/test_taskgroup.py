"""Task groups: id prefixes, nesting, and dependencies on whole groups."""

import pytest

from dagkeeper import DAG, TaskGroup
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.to_document import serialize_dag
from dagkeeper.operators import EmptyOperator


def test_nested_groups_prefix_task_ids_and_group_ids():
    with DAG("d") as d, TaskGroup("outer") as outer:
        EmptyOperator(task_id="first")
        with TaskGroup("inner", tooltip="tip") as inner:
            t = EmptyOperator(task_id="task")
    assert outer.group_id == "outer"
    assert inner.group_id == "outer.inner"
    assert t.task_id == "outer.inner.task"
    assert t.task_group is inner
    assert sorted(d.task_group_dict) == ["outer", "outer.inner"]
    doc = serialize_dag(d)
    assert doc["task_groups"] == [
        {"group_id": "outer", "label": "outer", "parent": None, "tooltip": None,
         "ui_color": "CornflowerBlue", "ui_fgcolor": "#000"},
        {"group_id": "outer.inner", "label": "inner", "parent": "outer", "tooltip": "tip",
         "ui_color": "CornflowerBlue", "ui_fgcolor": "#000"},
    ]  # fmt: skip
    by_id = {task["task_id"]: task for task in doc["tasks"]}
    assert by_id["outer.inner.task"]["group"] == "outer.inner"
    assert by_id["outer.inner.task"]["label"] == "task"
    assert by_id["outer.first"]["group"] == "outer"


def test_group_without_prefix_leaves_child_ids_unprefixed():
    with DAG("d"), TaskGroup("outer", prefix_group_id=False):
        with TaskGroup("inner") as inner:
            t = EmptyOperator(task_id="t")
        u = EmptyOperator(task_id="u")
    assert inner.group_id == "inner"
    assert t.task_id == "inner.t"
    assert u.task_id == "u"


def test_group_given_parent_group_explicitly():
    with DAG("d"):
        outer = TaskGroup("outer")
    inner = TaskGroup("inner", parent_group=outer)
    t = EmptyOperator(task_id="t", task_group=inner)
    assert t.task_id == "outer.inner.t"


def test_group_downstream_links_group_leaves():
    with DAG("d") as d:
        with TaskGroup("g") as g:
            a = EmptyOperator(task_id="a")
            b = EmptyOperator(task_id="b")
            c = EmptyOperator(task_id="c")
            a >> b
        x = EmptyOperator(task_id="x")
        g >> x
    assert sorted(x.upstream_task_ids) == ["g.b", "g.c"]
    assert c.downstream_task_ids == {"x"}
    assert serialize_dag(d)["edges"] == [["g.a", "g.b"], ["g.b", "x"], ["g.c", "x"]]


def test_group_upstream_links_to_group_roots():
    with DAG("d"):
        x = EmptyOperator(task_id="x")
        with TaskGroup("g") as g:
            a = EmptyOperator(task_id="a")
            b = EmptyOperator(task_id="b")
            EmptyOperator(task_id="c")
            a >> b
        x >> g
    assert sorted(x.downstream_task_ids) == ["g.a", "g.c"]


def test_group_to_group_links_leaves_to_roots():
    with DAG("d") as d:
        with TaskGroup("one") as one:
            EmptyOperator(task_id="a") >> EmptyOperator(task_id="b")
        with TaskGroup("two") as two:
            EmptyOperator(task_id="c") >> EmptyOperator(task_id="d")
        one >> two
    assert serialize_dag(d)["edges"] == [["one.a", "one.b"], ["one.b", "two.c"], ["two.c", "two.d"]]


def test_group_leaves_include_nested_group_tasks():
    with DAG("d"):
        with TaskGroup("g") as g:
            EmptyOperator(task_id="a")
            with TaskGroup("sub"):
                EmptyOperator(task_id="b")
        x = EmptyOperator(task_id="x")
        g >> x
    assert sorted(x.upstream_task_ids) == ["g.a", "g.sub.b"]


def test_task_id_equal_to_a_group_id_is_an_error():
    with DAG("d"):
        TaskGroup("g")
        with pytest.raises(
            DagDefinitionError, match="Task id 'g' is already the id of a task group in the DAG 'd'"
        ):
            EmptyOperator(task_id="g")


def test_group_id_equal_to_a_task_id_is_an_error():
    with DAG("d"):
        EmptyOperator(task_id="g")
        with pytest.raises(
            DagDefinitionError, match="Task group id 'g' is already the id of a task in the DAG 'd'"
        ):
            TaskGroup("g")


def test_duplicate_group_id_is_an_error():
    with DAG("d"):
        TaskGroup("g")
        with pytest.raises(
            DagDefinitionError, match="Task group id 'g' has already been added to the DAG 'd'"
        ):
            TaskGroup("g")


def test_group_outside_a_dag_is_an_error():
    with pytest.raises(DagDefinitionError, match="TaskGroup 'g' was created outside a DAG"):
        TaskGroup("g")

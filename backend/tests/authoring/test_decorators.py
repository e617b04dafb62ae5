"""@task: task creation, ids, passing results between tasks, run-time resolution."""

import pytest

from dagkeeper import DAG, TaskGroup, task
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.to_document import serialize_dag
from dagkeeper.authoring.xcom import XComArg
from dagkeeper.operators import EmptyOperator


class FakeTaskInstance:
    """Stands in for the runner's task instance: xcom values by task id."""

    def __init__(self, values):
        self.values = values

    def xcom_pull(self, task_ids, key="return_value"):
        return self.values[task_ids] if key == "return_value" else self.values[(task_ids, key)]


def test_task_call_creates_python_decorated_operator_and_returns_xcomarg():
    @task
    def extract():
        return 1

    with DAG("d") as d:
        result = extract()
    assert isinstance(result, XComArg)
    assert result.task_id == "extract"
    assert type(d.get_task("extract")).__name__ == "_PythonDecoratedOperator"


def test_passing_a_result_makes_an_upstream_edge():
    @task
    def extract():
        return 1

    @task
    def combine(a, *, b):
        return a + b

    with DAG("d") as d:
        combine(extract(), b=extract())
    assert serialize_dag(d)["edges"] == [["extract", "combine"], ["extract__1", "combine"]]


def test_results_nested_in_lists_and_dicts_make_edges_too():
    @task
    def make():
        return 1

    @task
    def use(values, mapping):
        return values, mapping

    with DAG("d") as d:
        out = use([make()], {"k": make()})
    assert d.get_task(out.task_id).upstream_task_ids == {"make", "make__1"}


def test_repeated_calls_get_numbered_ids():
    @task
    def step():
        pass

    with DAG("d") as d:
        step()
        step()
        step()
    assert d.task_ids == ["step", "step__1", "step__2"]


def test_numbered_ids_are_per_group():
    @task
    def step():
        pass

    with DAG("d") as d:
        step()
        with TaskGroup("g"):
            step()
            step()
    assert d.task_ids == ["step", "g.step", "g.step__1"]


def test_task_decorator_arguments_reach_the_operator():
    @task(retries=2, task_id="custom")
    def work():
        pass

    with DAG("d") as d:
        work()
        work.override(task_id="other", retries=5)()
    assert d.get_task("custom").retries == 2
    assert d.get_task("other").retries == 5


def test_xcomarg_works_as_a_dependency_node():
    @task
    def first():
        pass

    with DAG("d") as d:
        tail = EmptyOperator(task_id="tail")
        first() >> tail
        [first()] >> tail
    assert tail.upstream_task_ids == {"first", "first__1"}
    assert serialize_dag(d)["edges"] == [["first", "tail"], ["first__1", "tail"]]


def test_execute_resolves_upstream_results_through_xcom_pull():
    @task
    def extract():
        return 20

    @task
    def add(a, b, extra=0):
        return a + b + extra

    with DAG("d") as d:
        out = add(extract(), 2, extra=extract())
    operator = d.get_task(out.task_id)
    ti = FakeTaskInstance({"extract": 20, "extract__1": 100})
    assert operator.execute({"ti": ti}) == 122


def test_unresolvable_result_is_none_without_a_task_instance():
    @task
    def extract():
        return 1

    @task
    def show(value):
        return value

    with DAG("d") as d:
        out = show(extract())
    assert d.get_task(out.task_id).execute({}) is None


def test_task_called_outside_a_dag_is_an_error():
    @task
    def lonely():
        pass

    with pytest.raises(DagDefinitionError, match="Task 'lonely' was created outside a DAG"):
        lonely()


def test_decorated_function_keeps_its_name_and_function():
    def original():
        """Doc."""

    decorated = task(original)
    assert decorated.__name__ == "original"
    assert decorated.__doc__ == "Doc."
    assert decorated.function is original

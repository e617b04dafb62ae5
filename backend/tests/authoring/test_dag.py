"""The DAG object: arguments, dates and timezone, schedules, default_args, lookups."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dagkeeper import DAG, Param, dag
from dagkeeper.authoring.dag import DAG as AuthoringDAG
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.params import DagParam
from dagkeeper.authoring.to_document import serialize_dag
from dagkeeper.operators import BashOperator, EmptyOperator


def test_lazy_package_export_is_the_authoring_dag():
    assert DAG is AuthoringDAG


def test_operators_created_inside_context_attach_to_the_dag():
    with DAG("d") as d:
        a = EmptyOperator(task_id="a")
        b = EmptyOperator(task_id="b")
    assert d.tasks == [a, b]
    assert d.task_dict == {"a": a, "b": b}
    assert a.dag is d


def test_operator_with_explicit_dag_outside_a_context_attaches_to_it():
    d = DAG("d")
    a = EmptyOperator(task_id="a", dag=d)
    assert d.get_task("a") is a


def test_innermost_dag_context_wins():
    with DAG("outer") as outer:
        with DAG("inner") as inner:
            a = EmptyOperator(task_id="a")
        b = EmptyOperator(task_id="b")
    assert inner.task_ids == ["a"] and a.dag is inner
    assert outer.task_ids == ["b"] and b.dag is outer


def test_get_task_of_unknown_id_raises_key_error_naming_task_and_dag():
    with pytest.raises(KeyError, match="Task 'nope' not found in DAG 'd'"):
        DAG("d").get_task("nope")


def test_fileloc_is_the_file_that_built_the_dag():
    assert DAG("d").fileloc == __file__


@pytest.mark.parametrize(
    ("schedule", "document"),
    [
        ("*/5 * * * *", {"kind": "cron", "expression": "*/5 * * * *", "seconds": None}),
        ("@hourly", {"kind": "preset", "expression": "@hourly", "seconds": None}),
        ("@daily", {"kind": "preset", "expression": "@daily", "seconds": None}),
        ("@weekly", {"kind": "preset", "expression": "@weekly", "seconds": None}),
        ("@monthly", {"kind": "preset", "expression": "@monthly", "seconds": None}),
        ("@yearly", {"kind": "preset", "expression": "@yearly", "seconds": None}),
        ("@once", {"kind": "once", "expression": "@once", "seconds": None}),
        (timedelta(hours=1, seconds=5), {"kind": "timedelta", "expression": None, "seconds": 3605}),
        (None, {"kind": "none", "expression": None, "seconds": None}),
    ],
)
def test_schedule_becomes_a_typed_document(schedule, document):
    assert serialize_dag(DAG("d", schedule=schedule))["schedule"] == document


def test_naive_start_date_is_utc_and_timezone_is_utc():
    d = DAG("d", start_date=datetime(2024, 1, 1), end_date=datetime(2024, 2, 1, 6))
    doc = serialize_dag(d)
    assert doc["start_date"] == "2024-01-01T00:00:00+00:00"
    assert doc["end_date"] == "2024-02-01T06:00:00+00:00"
    assert doc["timezone"] == "UTC"
    assert d.start_date == datetime(2024, 1, 1, tzinfo=UTC)


def test_zoneinfo_start_date_sets_timezone_and_is_stored_in_utc():
    d = DAG(
        "d",
        schedule="0 6 * * *",
        start_date=datetime(2024, 7, 1, tzinfo=ZoneInfo("Europe/Amsterdam")),
    )
    doc = serialize_dag(d)
    assert doc["start_date"] == "2024-06-30T22:00:00+00:00"
    assert doc["timezone"] == "Europe/Amsterdam"


def test_fixed_offset_start_date_is_converted_and_timezone_is_utc():
    start = datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=-5)))
    doc = serialize_dag(DAG("d", start_date=start))
    assert doc["start_date"] == "2024-01-01T17:00:00+00:00"
    assert doc["timezone"] == "UTC"


def test_start_date_may_come_from_default_args():
    d = DAG("d", default_args={"start_date": datetime(2024, 3, 1, tzinfo=ZoneInfo("Asia/Tokyo"))})
    doc = serialize_dag(d)
    assert doc["start_date"] == "2024-02-29T15:00:00+00:00"
    assert doc["timezone"] == "Asia/Tokyo"


def test_default_args_fill_operator_arguments_not_given():
    default_args = {
        "owner": "alice",
        "retries": 3,
        "retry_delay": timedelta(seconds=10),
        "env": {"A": "1"},
    }
    with DAG("d", default_args=default_args):
        plain = BashOperator(task_id="plain", bash_command="true")
        explicit = BashOperator(
            task_id="explicit", bash_command="true", retries=0, env=None, owner="bob"
        )
    assert (plain.owner, plain.retries, plain.retry_delay_seconds, plain.env) == (
        "alice",
        3,
        10.0,
        {"A": "1"},
    )
    assert (explicit.owner, explicit.retries, explicit.env) == ("bob", 0, None)


def test_default_args_that_no_operator_takes_are_ignored():
    with DAG("d", default_args={"email": "x@example.com", "start_date": datetime(2024, 1, 1)}):
        task = EmptyOperator(task_id="a")
    assert task.owner == "dagkeeper"


def test_default_args_reach_subclass_init_arguments():
    class Greet(EmptyOperator):
        def __init__(self, task_id, greeting="hello", **kwargs):
            super().__init__(task_id=task_id, **kwargs)
            self.greeting = greeting

    with DAG("d", default_args={"greeting": "hi", "retries": 1}):
        task = Greet(task_id="g")
    assert (task.greeting, task.retries) == ("hi", 1)


def test_airflow_only_dag_arguments_are_accepted_and_ignored():
    assert DAG("d", owner_links={"a": "https://example.com"}).dag_id == "d"


def test_unknown_dag_argument_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match="unexpected keyword argument\\(s\\) 'shedule'"):
        DAG("d", shedule="@daily")


def test_dag_decorator_builds_dag_named_after_function_with_params_from_arguments():
    @dag(schedule="@daily", params={"b": 10})
    def my_pipeline(a=1, b=2, c="x"):
        """Docs of the pipeline."""
        seen.update(a=a, b=b, c=c)
        EmptyOperator(task_id="t")

    seen = {}
    d = my_pipeline(c="y")
    assert d.dag_id == "my_pipeline"
    assert d.doc_md == "Docs of the pipeline."
    assert d.task_ids == ["t"]
    assert {n: p.default for n, p in d.params.items()} == {"a": 1, "b": 10, "c": "y"}
    assert all(isinstance(v, DagParam) for v in seen.values())
    assert seen["c"].resolve({"params": {"c": "run value"}}) == "run value"
    assert seen["a"].resolve({}) == 1


def test_dag_decorator_without_parentheses_and_with_explicit_dag_id():
    @dag
    def first():
        pass

    @dag("second_id")
    def second(required):
        pass

    assert first().dag_id == "first"
    built = second()
    assert built.dag_id == "second_id"
    assert built.params["required"].required is True


def test_dag_built_by_decorator_records_the_calling_file():
    @dag
    def located():
        pass

    assert located().fileloc == __file__


def test_date_must_be_a_datetime():
    with pytest.raises(DagDefinitionError, match="start_date must be a datetime.datetime"):
        DAG("d", start_date=date(2024, 1, 1))


def test_dag_call_argument_overrides_param_default_but_keeps_its_schema():
    @dag(params={"n": Param(1, minimum=0, description="count")})
    def counted(n=5):
        pass

    assert counted().params["n"].default == 1
    overridden = counted(n=3).params["n"]
    assert (overridden.default, overridden.minimum, overridden.description) == (3, 0, "count")

"""Every definition-time error names what is wrong, in the DAG author's terms."""

import re
from datetime import datetime, timedelta

import pytest

from dagkeeper import DAG, TaskGroup, chain
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.operators import BaseOperator, EmptyOperator
from dagkeeper.serialization import TRIGGER_RULES


def _raises(message):
    return pytest.raises(DagDefinitionError, match=f"^{re.escape(message)}$")


def test_definition_error_is_a_value_error():
    assert issubclass(DagDefinitionError, ValueError)


def test_duplicate_task_id():
    with DAG("d"):
        EmptyOperator(task_id="x")
        with _raises("Task id 'x' has already been added to the DAG 'd'"):
            EmptyOperator(task_id="x")


def test_unknown_trigger_rule_lists_the_valid_ones():
    with (
        DAG("d"),
        _raises(
            "Unknown trigger rule 'sometimes' for task 't'; valid trigger rules are: "
            + ", ".join(TRIGGER_RULES)
        ),
    ):
        EmptyOperator(task_id="t", trigger_rule="sometimes")
    assert "all_success, all_failed, all_done" in ", ".join(TRIGGER_RULES)


@pytest.mark.parametrize("retries", [-1, 1.5, True])
def test_retries_must_be_a_non_negative_integer(retries):
    with DAG("d"), _raises(f"Invalid retries {retries!r} for task 't': must be an integer >= 0"):
        EmptyOperator(task_id="t", retries=retries)


def test_negative_retries_from_default_args():
    with (
        DAG("d", default_args={"retries": -2}),
        _raises("Invalid retries -2 for task 't': must be an integer >= 0"),
    ):
        EmptyOperator(task_id="t")


def test_invalid_cron_expression():
    with _raises(
        "Invalid schedule '61 * * * *': not a valid five-field cron expression "
        "(minute hour day-of-month month day-of-week)"
    ):
        DAG("d", schedule="61 * * * *")


def test_cron_with_a_seconds_field_is_rejected():
    with pytest.raises(DagDefinitionError, match="not a valid five-field cron expression"):
        DAG("d", schedule="0 0 * * * *")


def test_unknown_preset():
    with _raises(
        "Invalid schedule '@fortnightly': unknown preset; valid presets are "
        "@hourly, @daily, @weekly, @monthly, @yearly and @once"
    ):
        DAG("d", schedule="@fortnightly")


@pytest.mark.parametrize("delta", [timedelta(0), timedelta(seconds=-5)])
def test_non_positive_timedelta_schedule(delta):
    with _raises(f"Invalid schedule {delta!r}: a timedelta must be positive"):
        DAG("d", schedule=delta)


def test_fractional_timedelta_schedule():
    with pytest.raises(DagDefinitionError, match="use whole seconds"):
        DAG("d", schedule=timedelta(seconds=1.5))


def test_schedule_of_wrong_type():
    with pytest.raises(DagDefinitionError, match="^Invalid schedule 5: use None, a cron string"):
        DAG("d", schedule=5)


@pytest.mark.parametrize("dag_id", ["has space", "slash/y", "", "ümlaut", 7])
def test_invalid_dag_id(dag_id):
    with _raises(f"Invalid dag_id {dag_id!r}: use only letters, digits, '_', '-' and '.'"):
        DAG(dag_id)


def test_dag_id_may_contain_dots_and_dashes():
    assert DAG("team.etl-v2_daily").dag_id == "team.etl-v2_daily"


@pytest.mark.parametrize("task_id", ["a.b", "has space", "x/y", ""])
def test_invalid_task_id_dots_are_reserved_for_groups(task_id):
    with (
        DAG("d"),
        _raises(
            f"Invalid task_id {task_id!r}: use only letters, digits, '_' and '-' "
            "(dots are added by task groups)"
        ),
    ):
        EmptyOperator(task_id=task_id)


def test_too_long_dag_id():
    with _raises(f"Invalid dag_id {'x' * 251!r}: longer than 250"):
        DAG("x" * 251)


def test_operator_outside_a_dag():
    with _raises(
        "Task 't' was created outside a DAG: create it inside `with DAG(...)` or pass dag="
    ):
        EmptyOperator(task_id="t")


def test_unknown_operator_argument_is_a_type_error_naming_it():
    with (
        DAG("d"),
        pytest.raises(
            TypeError,
            match=re.escape(
                "Invalid arguments were passed to EmptyOperator (task_id 't'): "
                "unexpected keyword argument(s) 'colour'"
            ),
        ),
    ):
        EmptyOperator(task_id="t", colour="red")


def test_unknown_argument_to_subclass_without_kwargs_is_a_type_error():
    class Strict(BaseOperator):
        def __init__(self, task_id):
            super().__init__(task_id=task_id)

    with DAG("d", default_args={"retries": 1}), pytest.raises(TypeError, match="'bogus'"):
        Strict(task_id="s", bogus=1)


def test_retry_delay_of_wrong_type():
    with (
        DAG("d"),
        _raises("retry_delay of task 't' must be a timedelta or a number of seconds, got '5m'"),
    ):
        EmptyOperator(task_id="t", retry_delay="5m")


def test_end_date_before_start_date():
    with _raises("end_date of DAG 'd' is before its start_date"):
        DAG("d", start_date=datetime(2024, 2, 1), end_date=datetime(2024, 1, 1))


@pytest.mark.parametrize("name", ["max_active_runs", "max_active_tasks"])
def test_limits_must_be_positive(name):
    with _raises(f"{name} of DAG 'd' must be an integer >= 1, got 0"):
        DAG("d", **{name: 0})


def test_invalid_tag():
    with _raises("Invalid tag '' in DAG 'd': tags are strings of 1 to 100 characters"):
        DAG("d", tags=[""])


def test_default_args_must_be_a_dict():
    with _raises("default_args of DAG 'd' must be a dict"):
        DAG("d", default_args=[("retries", 1)])


def test_task_in_group_of_other_dag():
    with DAG("one"):
        group = TaskGroup("g")
    other = DAG("two")
    with _raises("Task 't': task_group 'g' belongs to DAG 'one', not to 'two'"):
        EmptyOperator(task_id="t", dag=other, task_group=group)


def test_a_chain_of_five_thousand_tasks_is_not_mistaken_for_an_error():
    from dagkeeper.authoring.to_document import serialize_dag

    with DAG("long_chain", schedule=None) as long_dag:
        tasks = [EmptyOperator(task_id=f"t{i}") for i in range(5000)]
        chain(*tasks)
    assert len(serialize_dag(long_dag)["edges"]) == 4999


@pytest.mark.parametrize("queue", ["", 7, "q" * 257])
def test_a_queue_must_be_a_name(queue):
    with pytest.raises(DagDefinitionError, match="Invalid queue"), DAG("q"):
        EmptyOperator(task_id="t", queue=queue)

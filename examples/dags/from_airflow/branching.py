"""Branching and skipping the way the peer's examples write them."""

import pendulum
from dagkeeper.operators import TaskSkipped as AirflowSkipException
from dagkeeper.operators import BranchDateTimeOperator
from dagkeeper.operators import EmptyOperator
from dagkeeper.operators import LatestOnlyOperator
from dagkeeper.operators import (BranchPythonOperator, PythonOperator, ShortCircuitOperator



)
from dagkeeper.operators import BranchDayOfWeekOperator
from dagkeeper.operators import WeekDay
from dagkeeper import DAG, Label, task
from dagkeeper import TriggerRule

with DAG(
    dag_id="example_branching",
    start_date=pendulum.datetime(2021, 1, 1, tz="UTC"),
    catchup=False,
    schedule="@daily",
    tags=["example", "example2"],
):
    run_this_first = EmptyOperator(task_id="run_this_first")
    options = ["branch_a", "branch_b", "branch_c", "branch_d"]

    @task.branch(task_id="branching")
    def random_choice(choices: list[str]) -> str:
        return choices[2]

    branching = random_choice(choices=options)
    run_this_first >> branching
    join = EmptyOperator(task_id="join", trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
    for option in options:
        t = EmptyOperator(task_id=option)
        follow = EmptyOperator(task_id="follow_" + option)
        branching >> Label(option) >> t >> follow >> join

    classic = BranchPythonOperator(task_id="classic_branch", python_callable=lambda: "yes")
    join >> classic >> [EmptyOperator(task_id="yes"), EmptyOperator(task_id="no")]

    cond_true = ShortCircuitOperator(task_id="condition_is_true", python_callable=lambda: True)
    cond_false = ShortCircuitOperator(task_id="condition_is_false", python_callable=lambda: False)
    join >> cond_true >> EmptyOperator(task_id="true_1")
    join >> cond_false >> EmptyOperator(task_id="false_1") >> EmptyOperator(task_id="false_2")

    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def short_circuit():
        return False

    after_sc = EmptyOperator(task_id="after_short_circuit")
    all_done = EmptyOperator(task_id="all_done_after_sc", trigger_rule=TriggerRule.ALL_DONE)
    join >> short_circuit() >> after_sc >> all_done

    latest_only = LatestOnlyOperator(task_id="latest_only")
    join >> latest_only >> EmptyOperator(task_id="after_latest_only")

    day = BranchDayOfWeekOperator(
        task_id="make_choice",
        follow_task_ids_if_true="weekday_task",
        follow_task_ids_if_false="weekend_task",
        week_day={WeekDay.SATURDAY, WeekDay.SUNDAY},
        use_task_logical_date=True,
    )
    join >> day >> [EmptyOperator(task_id="weekday_task"), EmptyOperator(task_id="weekend_task")]

    window = BranchDateTimeOperator(
        task_id="datetime_branch",
        follow_task_ids_if_true=["date_in_range"],
        follow_task_ids_if_false=["date_outside_range"],
        target_upper=pendulum.datetime(2020, 10, 10, 15, 0, 0),
        target_lower=pendulum.datetime(2020, 10, 10, 14, 0, 0),
    )
    (
        join
        >> window
        >> [EmptyOperator(task_id="date_in_range"), EmptyOperator(task_id="date_outside_range")]
    )

    def skip_me():
        raise AirflowSkipException("nothing to do today")

    skipper = PythonOperator(task_id="skipper", python_callable=skip_me)
    join >> skipper >> EmptyOperator(task_id="after_skipper")

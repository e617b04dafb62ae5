"""The semantics table: branching, skipping, trigger rules and setup/teardown, run for real.

Each case is a DAG file run to its end by the real scheduler and runner; the
table gives the expected state of every task and of the run.
"""

import textwrap
from datetime import UTC, datetime

import pytest

from .inline import run_dag_source

HEADER = """
from datetime import datetime
from dagkeeper import DAG, Label, TriggerRule, setup, task, teardown
from dagkeeper.operators import (
    BranchDayOfWeekOperator, BranchPythonOperator, EmptyOperator, LatestOnlyOperator,
    PythonOperator, ShortCircuitOperator, TaskFailed,
)

def fail():
    raise TaskFailed("on purpose")

with DAG("{name}", start_date=datetime(2024, 1, 1)):
"""

S, F, K, UF = "success", "failed", "skipped", "upstream_failed"

CASES = {
    # a branch follows one path; the join runs with none_failed_min_one_success
    "branch_follows_one_path": (
        """
        @task.branch
        def pick():
            return "left"
        left, right = EmptyOperator(task_id="left"), EmptyOperator(task_id="right")
        after_right = EmptyOperator(task_id="after_right")
        join = EmptyOperator(task_id="join", trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
        strict_join = EmptyOperator(task_id="strict_join")
        b = pick()
        b >> Label("yes") >> left >> [join, strict_join]
        b >> Label("no") >> right >> after_right >> [join, strict_join]
        """,
        {"pick": S, "left": S, "right": K, "after_right": K, "join": S, "strict_join": K},
        S,
    ),
    "branch_operator_to_a_list_and_none": (
        """
        b1 = BranchPythonOperator(task_id="b1", python_callable=lambda: ["x", "y"])
        b2 = BranchPythonOperator(task_id="b2", python_callable=lambda: None)
        x, y, z = (EmptyOperator(task_id=i) for i in "xyz")
        w = EmptyOperator(task_id="w")
        b1 >> [x, y, z]
        b2 >> w
        """,
        {"b1": S, "b2": S, "x": S, "y": S, "z": K, "w": K},
        S,
    ),
    "branch_to_a_task_group": (
        """
        from dagkeeper import TaskGroup
        b = BranchPythonOperator(task_id="b", python_callable=lambda: "grp")
        with TaskGroup("grp") as grp:
            EmptyOperator(task_id="first") >> EmptyOperator(task_id="second")
        other = EmptyOperator(task_id="other")
        b >> [grp, other]
        """,
        {"b": S, "grp.first": S, "grp.second": S, "other": K},
        S,
    ),
    "short_circuit_skips_everything_after_it": (
        """
        sc = ShortCircuitOperator(task_id="sc", python_callable=lambda: 0)
        a = EmptyOperator(task_id="a")
        b = EmptyOperator(task_id="b", trigger_rule="all_done")
        sc >> a >> b
        """,
        {"sc": S, "a": K, "b": K},
        S,
    ),
    "short_circuit_respecting_trigger_rules": (
        """
        @task.short_circuit(ignore_downstream_trigger_rules=False)
        def check():
            return []
        a = EmptyOperator(task_id="a")
        b = EmptyOperator(task_id="b", trigger_rule="all_done")
        check() >> a >> b
        """,
        {"check": S, "a": K, "b": S},
        S,
    ),
    "short_circuit_true_goes_on": (
        """
        sc = ShortCircuitOperator(task_id="sc", python_callable=lambda: True)
        sc >> EmptyOperator(task_id="a")
        """,
        {"sc": S, "a": S},
        S,
    ),
    "failure_rules": (
        """
        bad = PythonOperator(task_id="bad", python_callable=fail)
        good = EmptyOperator(task_id="good")
        on_fail = EmptyOperator(task_id="on_fail", trigger_rule="one_failed")
        after = EmptyOperator(task_id="after")
        one_done = EmptyOperator(task_id="one_done", trigger_rule="one_done")
        all_failed = EmptyOperator(task_id="all_failed", trigger_rule="all_failed")
        min_one = EmptyOperator(task_id="min_one", trigger_rule="all_done_min_one_success")
        nf = EmptyOperator(task_id="nf", trigger_rule="none_failed")
        [bad, good] >> on_fail
        [bad, good] >> after
        bad >> one_done
        bad >> all_failed
        [bad, good] >> min_one
        [bad, good] >> nf
        """,
        {"bad": F, "good": S, "on_fail": S, "after": UF, "one_done": S, "all_failed": S,
         "min_one": S, "nf": UF},
        F,
    ),
    "skip_rules": (
        """
        b = BranchPythonOperator(task_id="b", python_callable=lambda: [])
        s1, s2 = EmptyOperator(task_id="s1"), EmptyOperator(task_id="s2")
        b >> [s1, s2]
        all_skipped = EmptyOperator(task_id="all_skipped", trigger_rule="all_skipped")
        none_skipped = EmptyOperator(task_id="none_skipped", trigger_rule="none_skipped")
        nfmos = EmptyOperator(task_id="nfmos", trigger_rule="none_failed_min_one_success")
        none_failed = EmptyOperator(task_id="none_failed", trigger_rule="none_failed")
        one_success = EmptyOperator(task_id="one_success", trigger_rule="one_success")
        always = EmptyOperator(task_id="always", trigger_rule="always")
        [s1, s2] >> all_skipped
        [s1, s2] >> none_skipped
        [s1, s2] >> nfmos
        [s1, s2] >> none_failed
        [s1, s2] >> one_success
        [s1, s2] >> always
        """,
        {"b": S, "s1": K, "s2": K, "all_skipped": S, "none_skipped": K, "nfmos": K,
         "none_failed": S, "one_success": K, "always": S},
        S,
    ),
    "teardown_runs_after_failed_work_and_the_run_fails": (
        """
        create = EmptyOperator(task_id="create").as_setup()
        work = PythonOperator(task_id="work", python_callable=fail)
        delete = EmptyOperator(task_id="delete").as_teardown(setups=create)
        create >> work >> delete
        """,
        {"create": S, "work": F, "delete": S},
        F,
    ),
    "failed_setup_stops_work_and_teardown": (
        """
        create = PythonOperator(task_id="create", python_callable=fail).as_setup()
        work = EmptyOperator(task_id="work")
        delete = EmptyOperator(task_id="delete").as_teardown(setups=create)
        create >> work >> delete
        """,
        {"create": F, "work": UF, "delete": UF},
        F,
    ),
    "failed_teardown_does_not_fail_the_run": (
        """
        @setup
        def create():
            return "cluster-1"

        @teardown
        def delete(name):
            fail()

        @task
        def work(name):
            return name

        c = create()
        work(c) >> delete(c)
        """,
        {"create": S, "work": S, "delete": F},
        S,
    ),
    "failed_teardown_fails_the_run_when_asked": (
        """
        create = EmptyOperator(task_id="create").as_setup()
        work = EmptyOperator(task_id="work")
        delete = PythonOperator(task_id="delete", python_callable=fail).as_teardown(
            setups=create, on_failure_fail_dagrun=True)
        create >> work >> delete
        """,
        {"create": S, "work": S, "delete": F},
        F,
    ),
    "skipped_setup_skips_its_teardown": (
        """
        b = BranchPythonOperator(task_id="b", python_callable=lambda: None)
        create = EmptyOperator(task_id="create").as_setup()
        work = EmptyOperator(task_id="work")
        delete = EmptyOperator(task_id="delete").as_teardown(setups=create)
        b >> create >> work >> delete
        """,
        {"b": S, "create": K, "work": K, "delete": K},
        S,
    ),
    "latest_only_lets_a_manual_run_through": (
        """
        LatestOnlyOperator(task_id="latest") >> EmptyOperator(task_id="after")
        """,
        {"latest": S, "after": S},
        S,
    ),
    "day_of_week_branch_on_the_logical_date": (
        """
        day = BranchDayOfWeekOperator(
            task_id="day", week_day={"Monday", "Tuesday"}, use_task_logical_date=True,
            follow_task_ids_if_true="weekday", follow_task_ids_if_false="weekend")
        day >> [EmptyOperator(task_id="weekday"), EmptyOperator(task_id="weekend")]
        """,
        {"day": S, "weekday": S, "weekend": K},
        S,
    ),
}  # fmt: skip


def _source(name: str, body: str) -> str:
    return HEADER.format(name=name) + textwrap.indent(textwrap.dedent(body), "    ")


@pytest.mark.parametrize("name", list(CASES))
def test_semantics_table(name, sqlite_db, dags_folder):
    body, expected_tasks, expected_run = CASES[name]
    run, states = run_dag_source(
        dags_folder, name, _source(name, body), logical_date=datetime(2024, 1, 1, tzinfo=UTC)
    )
    assert (states, run) == (expected_tasks, expected_run)

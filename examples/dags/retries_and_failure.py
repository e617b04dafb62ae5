"""Retries, and one task that always fails, with what happens downstream.

``flaky`` fails on its first try and succeeds on the retry; ``always_fails``
uses up its retries; ``cleanup`` runs anyway (trigger rule ``all_done``) and
``report`` is marked upstream_failed. Schedule: the ``@once`` preset.
"""

from datetime import datetime, timedelta

from dagkeeper import DAG
from dagkeeper.operators import BashOperator

with DAG(
    "example_retries_and_failure",
    schedule="@once",
    start_date=datetime(2024, 1, 1),
    tags=["example", "failure"],
    default_args={"retries": 1, "retry_delay": timedelta(seconds=1)},
) as dag:
    flaky = BashOperator(
        task_id="flaky",
        bash_command='test "{{ ti.try_number }}" -gt 1 || { echo "first try fails"; exit 1; }',
    )
    always_fails = BashOperator(
        task_id="always_fails", bash_command="echo 'about to fail'; exit 3", retries=2
    )
    cleanup = BashOperator(
        task_id="cleanup", bash_command="echo cleanup", trigger_rule="all_done"
    )
    report = BashOperator(task_id="report", bash_command="echo report")
    flaky >> always_fails >> [cleanup, report]

"""A chain of shell commands: the smallest useful DAG.

Schedule: a cron expression (06:30 on weekdays).
"""

from datetime import datetime

from dagkeeper import DAG
from dagkeeper.operators import BashOperator

with DAG(
    "example_bash_chain",
    schedule="30 6 * * 1-5",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    tags=["example", "bash"],
    description="Download, check and publish, one shell command each",
) as dag:
    download = BashOperator(
        task_id="download", bash_command="echo 'downloading {{ ds }}'"
    )
    check = BashOperator(task_id="check", bash_command='test -n "$HOME" && echo ok')
    publish = BashOperator(
        task_id="publish",
        bash_command='echo "publishing for $TARGET"',
        env={"TARGET": "warehouse"},
    )
    download >> check >> publish

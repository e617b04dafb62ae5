"""Fifty parallel tasks between one start and one join.

Schedule: every 6 hours, as a ``timedelta``.
"""

from datetime import datetime, timedelta

from dagkeeper import DAG
from dagkeeper.operators import BashOperator, EmptyOperator

with DAG(
    "example_fan_out_fan_in",
    schedule=timedelta(hours=6),
    start_date=datetime(2024, 1, 1),
    tags=["example"],
    max_active_tasks=8,
) as dag:
    start = EmptyOperator(task_id="start")
    join = EmptyOperator(task_id="join")
    for shard in range(50):
        (
            start
            >> BashOperator(
                task_id=f"shard_{shard:02d}", bash_command=f"echo shard {shard}"
            )
            >> join
        )

"""A generated DAG of 320 tasks: 8 regions x 40 steps, each region in a task group.

Schedule: the ``@hourly`` preset, not caught up. Generated DAGs are ordinary
Python: loops, lists and f-strings.
"""

import itertools
from datetime import datetime

from dagkeeper import DAG, TaskGroup
from dagkeeper.operators import EmptyOperator

REGIONS = ["eu", "us", "apac", "latam", "mena", "nordics", "india", "oceania"]
STEPS = 40

with DAG(
    "example_generated_large",
    schedule="@hourly",
    start_date=datetime(2024, 1, 1),
    tags=["example", "large"],
) as dag:
    begin = EmptyOperator(task_id="begin")
    finish = EmptyOperator(task_id="finish")
    for region in REGIONS:
        with TaskGroup(region) as group:
            steps = [EmptyOperator(task_id=f"step_{i:02d}") for i in range(STEPS)]
            for upstream, downstream in itertools.pairwise(steps):
                upstream >> downstream
        begin >> group >> finish

"""Templated fields rendered from params and the run's context.

Trigger it with a conf such as ``{"greeting": "Hi", "repeat": 3}`` to override
the defaults. Schedule: None (manual runs only).
"""

from datetime import datetime

from dagkeeper import DAG, Param
from dagkeeper.operators import BashOperator, PythonOperator


def report(greeting: str, repeat: int) -> str:
    return " ".join([greeting] * int(repeat))


with DAG(
    "example_templated_params",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    tags=["example", "templates"],
    params={
        "greeting": Param("Hello", type="string", description="What to say"),
        "repeat": Param(
            2, type="integer", minimum=1, maximum=5, description="How many times"
        ),
        "mode": Param("fast", enum=["fast", "thorough"]),
    },
    doc_md="Shows `{{ params.greeting }}`-style templates in a bash command and in op_kwargs.",
) as dag:
    say = BashOperator(
        task_id="say",
        bash_command="echo '{{ params.greeting }} from {{ dag.dag_id }} on {{ ds }} ({{ params.mode }})'",
    )
    summarise = PythonOperator(
        task_id="summarise",
        python_callable=report,
        op_kwargs={
            "greeting": "{{ params.greeting }}",
            "repeat": "{{ params.repeat }}",
        },
    )
    say >> summarise

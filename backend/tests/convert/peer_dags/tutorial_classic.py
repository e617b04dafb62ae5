"""The peer's classic tutorial: default_args, templated Bash, XComs pushed by key."""

import json
import textwrap
from datetime import timedelta

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG
from airflow.utils.trigger_rule import TriggerRule
from airflow.utils.weight_rule import WeightRule


def note_failure(context):
    print("failed:", context["ti"].task_id)


with DAG(
    "tutorial",
    default_args={
        "depends_on_past": False,
        "email": ["airflow@example.com"],
        "email_on_failure": False,
        "email_on_retry": False,
        "retries": 1,
        "retry_delay": timedelta(minutes=5),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(hours=1),
        "queue": "bash_queue",
        "pool": "default_pool",
        "priority_weight": 10,
        "execution_timeout": timedelta(seconds=300),
        "on_failure_callback": note_failure,
        "sla": timedelta(hours=2),
        "trigger_rule": "all_success",
    },
    description="A simple tutorial DAG",
    schedule=timedelta(days=1),
    start_date=pendulum.datetime(2021, 1, 1, tz="Europe/Amsterdam"),
    catchup=False,
    tags=["example"],
    dagrun_timeout=timedelta(minutes=30),
    dag_display_name="Tutorial (classic)",
    default_view="graph",
    orientation="LR",
    is_paused_upon_creation=True,
    sla_miss_callback=note_failure,
) as dag:
    t1 = BashOperator(task_id="print_date", bash_command="date")
    t2 = BashOperator(
        task_id="sleep",
        depends_on_past=False,
        bash_command="sleep 0",
        retries=3,
        task_display_name="Sleep a little",
    )
    t1.doc_md = textwrap.dedent("""#### Task Documentation""")
    dag.doc_md = __doc__
    templated_command = textwrap.dedent(
        """
    {% for i in range(2) %}
        echo "{{ ds }}"
        echo "{{ macros.ds_add(ds, 7)}}"
    {% endfor %}
    """
    )
    t3 = BashOperator(
        task_id="templated",
        depends_on_past=False,
        bash_command=templated_command,
        weight_rule=WeightRule.ABSOLUTE,
        doc_json='{"kind": "templated"}',
    )

    def extract(**kwargs):
        ti = kwargs["ti"]
        ti.xcom_push("order_data", '{"1001": 301.27, "1002": 433.21, "1003": 502.22}')

    def transform(**kwargs):
        ti = kwargs["ti"]
        order_data = json.loads(ti.xcom_pull(task_ids="extract", key="order_data"))
        ti.xcom_push(
            "total_order_value", json.dumps({"total_order_value": sum(order_data.values())})
        )

    def load(**kwargs):
        ti = kwargs["ti"]
        total = json.loads(ti.xcom_pull(task_ids="transform", key="total_order_value"))
        print(total)

    extract_task = PythonOperator(task_id="extract", python_callable=extract, doc="Extract.")
    transform_task = PythonOperator(
        task_id="transform", python_callable=transform, doc_rst="Transform."
    )
    load_task = PythonOperator(
        task_id="load", python_callable=load, trigger_rule=TriggerRule.ALL_SUCCESS
    )
    t1 >> [t2, t3] >> extract_task >> transform_task >> load_task

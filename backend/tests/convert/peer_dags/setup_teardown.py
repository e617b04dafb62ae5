"""Setup and teardown tasks, in both of the peer's spellings."""

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, setup, task, teardown

with DAG(
    dag_id="example_setup_teardown",
    schedule=None,
    start_date=pendulum.datetime(2021, 1, 1, tz="UTC"),
    catchup=False,
    tags=["example"],
):
    root_setup = BashOperator(
        task_id="root_setup", bash_command="echo 'Hello from root_setup'"
    ).as_setup()
    normal = BashOperator(task_id="normal", bash_command="echo 'I am just a normal task'")
    root_teardown = BashOperator(
        task_id="root_teardown", bash_command="echo 'Goodbye from root_teardown'"
    ).as_teardown(setups=root_setup)
    root_setup >> normal >> root_teardown

    @setup
    def create_cluster():
        return "cluster-1"

    @task
    def run_query(cluster):
        print("querying", cluster)

    @teardown
    def delete_cluster(cluster):
        print("deleting", cluster)

    cluster = create_cluster()
    run_query(cluster) >> delete_cluster(cluster)

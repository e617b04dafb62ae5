"""More of the peer's TaskFlow: task groups, bash, virtualenvs, context, DAG and task arguments."""

import sys
from datetime import datetime

from dagkeeper import dag, task, task_group
from dagkeeper import chain
from dagkeeper import XComArg
from dagkeeper.operators import BashOperator
from dagkeeper.operators import PythonVirtualenvOperator; from dagkeeper import get_current_context


def announce(context):
    print("announcing", context["ti"].task_id)


@dag(
    schedule="0 6 * * *",
    start_date=datetime(2021, 1, 1),
    catchup=False,
    dag_display_name="TaskFlow, more of it",
    render_template_as_native_obj=False,
    user_defined_macros={"team": "data"},
    user_defined_filters={"loud": lambda s: s.upper()},
    template_searchpath=["/nonexistent/templates"],
    on_success_callback=announce,
    on_failure_callback=announce,
    params={"who": "world"},
)
def example_taskflow_more():
    @task_group(group_id="stage", tooltip="one stage")
    def stage(n: int):
        @task
        def double(x):
            return x * 2

        @task
        def report(x):
            context = get_current_context()
            print(context["ds"], x)
            return x

        return report(double(n))

    first = stage(1)
    second = stage(first)

    @task.bash(task_display_name="Say hello")
    def hello(value):
        return f"echo hello {value} from {{{{ team | loud }}}}"

    @task.virtualenv(system_site_packages=False, requirements=[])
    def in_venv(value):
        return value + 1

    @task.external_python(python=sys.executable)
    def elsewhere(value):
        return value + 1

    @task(
        wait_for_downstream=True,
        pool_slots=1,
        executor_config={"cpu": 1},
        do_xcom_push=False,
        on_execute_callback=announce,
        doc_md="Checks the results.",
    )
    def check(a, b, pushed):
        assert (a, b, pushed) == (5, 5, 42), (a, b, pushed)

    def answer():
        return 42

    venv_task = PythonVirtualenvOperator(
        task_id="classic_venv", python_callable=answer, system_site_packages=False
    )
    script = BashOperator(task_id="script", bash_command="scripts/hello.sh")
    done = check(in_venv(second), elsewhere(second), XComArg(venv_task))
    chain(hello(second), script, done)


example_taskflow_more()

"""Plain Python callables with ``PythonOperator``, a weekly schedule and catch-up.

Schedule: the ``@weekly`` preset in the Europe/Amsterdam timezone with
``catchup=True`` and an end date, so exactly the four weeks of January 2024
get a run each.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from dagkeeper import DAG
from dagkeeper.operators import PythonOperator


def measure(**context) -> int:
    return len(context["ds"])


def sleep_a_little() -> None:
    import time

    time.sleep(0.5)


with DAG(
    "example_python_callables",
    schedule="@weekly",
    start_date=datetime(2024, 1, 1, tzinfo=ZoneInfo("Europe/Amsterdam")),
    end_date=datetime(2024, 1, 29, tzinfo=ZoneInfo("Europe/Amsterdam")),
    catchup=True,
    max_active_runs=2,
    tags=["example", "python"],
) as dag:
    first = PythonOperator(task_id="measure", python_callable=measure)
    second = PythonOperator(task_id="sleep_a_little", python_callable=sleep_a_little)
    first >> second

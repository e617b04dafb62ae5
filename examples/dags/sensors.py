"""Sensors: poke, reschedule and deferred waits, and a sensor's XCom.

``marker`` waits in reschedule mode for the file ``write_marker`` writes (its
slot is free between pokes: state ``up_for_reschedule``); ``a_minute_later``
is deferred to ``dagkeeper triggerer`` (state ``deferred``, no slot at all);
``counted`` is a ``@task.sensor`` whose ``PokeReturnValue`` carries the value
``report`` prints. Triggered by hand (no schedule).
"""

from datetime import datetime, timedelta

from dagkeeper import DAG, task
from dagkeeper.operators import BashOperator, FileSensor, PokeReturnValue, TimeDeltaSensor

with DAG(
    "example_sensors",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    tags=["example", "sensors"],
):
    BashOperator(  # runs beside ``marker``, which pokes until the file is there
        task_id="write_marker", bash_command="sleep 5; touch /tmp/dagkeeper_marker_{{ ts_nodash }}"
    )
    marker = FileSensor(
        task_id="marker", filepath="/tmp/dagkeeper_marker_{{ ts_nodash }}", mode="reschedule",
        poke_interval=2, timeout=300,
    )  # fmt: skip
    a_minute_later = TimeDeltaSensor(
        task_id="a_minute_later", delta=timedelta(minutes=1), deferrable=True
    )

    @task.sensor(poke_interval=1, timeout=60)
    def counted():
        return PokeReturnValue(is_done=True, xcom_value={"rows": 42})

    @task
    def report(found):
        print("rows found:", found["rows"])

    marker >> a_minute_later >> report(counted())

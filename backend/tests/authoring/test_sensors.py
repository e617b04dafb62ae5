"""Sensors at definition time: wrong arguments are import errors that say what is wrong."""

from datetime import datetime, timedelta

import pytest

from dagkeeper import DAG, task
from dagkeeper.authoring import DagDefinitionError
from dagkeeper.operators import DateTimeSensor, FileSensor, PythonSensor, TimeDeltaSensorAsync


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "sleep"}, "mode of sensor 'wait' must be one of poke, reschedule"),
        ({"poke_interval": -1}, "poke_interval of sensor 'wait' must be >= 0"),
        ({"timeout": timedelta(seconds=-5)}, "timeout of sensor 'wait' must be >= 0"),
        ({"poke_interval": "soon"}, "poke_interval of task 'wait' must be a timedelta"),
        ({"soft_fail": True, "never_fail": True}, "soft_fail and never_fail cannot both"),
    ],
)
def test_bad_sensor_arguments_are_definition_errors(kwargs, message):
    with DAG("d", start_date=datetime(2024, 1, 1)), pytest.raises(DagDefinitionError) as error:
        PythonSensor(task_id="wait", python_callable=lambda: True, **kwargs)
    assert message in str(error.value)


def test_sensor_defaults_and_deferrable_names():
    with DAG("d", start_date=datetime(2024, 1, 1), default_args={"poke_interval": 5}):
        file = FileSensor(task_id="file", filepath="/tmp/x", mode="reschedule")
        at = DateTimeSensor(task_id="at", target_time=datetime(2024, 1, 2))
        later = TimeDeltaSensorAsync(task_id="later", delta=timedelta(minutes=1))

        @task.sensor(timeout=30)
        def ready():
            return True

        ready()
    assert (file.poke_interval, file.timeout, file.mode) == (5.0, 604800.0, "reschedule")
    assert (at.target_time, at.deferrable, later.deferrable) == ("2024-01-02T00:00:00", False, True)

"""The operators that ship with dagkeeper."""

from dagkeeper.authoring.operators.bash import BashOperator
from dagkeeper.authoring.operators.branch import (
    BaseBranchOperator,
    BranchDateTimeOperator,
    BranchDayOfWeekOperator,
    BranchPythonOperator,
    LatestOnlyOperator,
    ShortCircuitOperator,
    WeekDay,
)
from dagkeeper.authoring.operators.empty import EmptyOperator
from dagkeeper.authoring.operators.python import PythonOperator
from dagkeeper.authoring.operators.sensors import (
    BashSensor,
    DateTimeSensor,
    DateTimeSensorAsync,
    FileSensor,
    PythonSensor,
    TimeDeltaSensor,
    TimeDeltaSensorAsync,
)
from dagkeeper.authoring.operators.virtualenv import (
    ExternalPythonOperator,
    PythonVirtualenvOperator,
)

__all__ = [
    "BaseBranchOperator", "BashOperator", "BranchDateTimeOperator", "BranchDayOfWeekOperator",
    "BranchPythonOperator", "EmptyOperator", "ExternalPythonOperator", "LatestOnlyOperator",
    "PythonOperator", "PythonVirtualenvOperator", "ShortCircuitOperator", "WeekDay",
    "BashSensor", "DateTimeSensor", "DateTimeSensorAsync", "FileSensor", "PythonSensor",
    "TimeDeltaSensor", "TimeDeltaSensorAsync",
]  # fmt: skip

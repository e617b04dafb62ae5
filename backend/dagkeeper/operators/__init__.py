"""Operators for DAG files: ``from dagkeeper.operators import BashOperator``.

A re-export of :mod:`dagkeeper.authoring.operators`, with the exceptions an
operator raises to end a task as failed or skipped, plus the operators that
read other DAGs' runs from the database (:mod:`.cross_dag`).
"""

from dagkeeper.authoring.baseoperator import BaseOperator
from dagkeeper.authoring.exceptions import (
    SensorTimeout,
    TaskDeferred,
    TaskFailed,
    TaskRescheduled,
    TaskSkipped,
)
from dagkeeper.authoring.operators import (
    BaseBranchOperator,
    BashOperator,
    BashSensor,
    BranchDateTimeOperator,
    BranchDayOfWeekOperator,
    BranchPythonOperator,
    DateTimeSensor,
    DateTimeSensorAsync,
    EmptyOperator,
    ExternalPythonOperator,
    FileSensor,
    LatestOnlyOperator,
    PythonOperator,
    PythonSensor,
    PythonVirtualenvOperator,
    ShortCircuitOperator,
    TimeDeltaSensor,
    TimeDeltaSensorAsync,
    WeekDay,
)
from dagkeeper.authoring.sensors import BaseSensorOperator, PokeReturnValue
from dagkeeper.authoring.triggers import (
    BaseTrigger,
    DateTimeTrigger,
    FileTrigger,
    TimeDeltaTrigger,
)
from dagkeeper.operators.cross_dag import (
    ExternalTaskMarker,
    ExternalTaskSensor,
    TriggerDagRunOperator,
)

__all__ = [
    "BaseBranchOperator", "BaseOperator", "BashOperator", "BranchDateTimeOperator",
    "BranchDayOfWeekOperator", "BranchPythonOperator", "EmptyOperator", "ExternalPythonOperator",
    "LatestOnlyOperator", "PythonOperator", "PythonVirtualenvOperator", "ShortCircuitOperator",
    "TaskFailed", "TaskSkipped", "WeekDay",
    "BaseSensorOperator", "BashSensor", "DateTimeSensor", "DateTimeSensorAsync", "FileSensor",
    "PokeReturnValue", "PythonSensor", "SensorTimeout", "TaskDeferred", "TaskRescheduled",
    "TimeDeltaSensor", "TimeDeltaSensorAsync", "BaseTrigger", "DateTimeTrigger", "FileTrigger",
    "TimeDeltaTrigger", "ExternalTaskMarker", "ExternalTaskSensor", "TriggerDagRunOperator",
]  # fmt: skip

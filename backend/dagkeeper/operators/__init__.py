"""Operators for DAG files: ``from dagkeeper.operators import BashOperator``.

A re-export of :mod:`dagkeeper.authoring.operators`, with the exceptions an
operator raises to end a task as failed or skipped.
"""

from dagkeeper.authoring.baseoperator import BaseOperator
from dagkeeper.authoring.exceptions import TaskFailed, TaskSkipped
from dagkeeper.authoring.operators import (
    BaseBranchOperator,
    BashOperator,
    BranchDateTimeOperator,
    BranchDayOfWeekOperator,
    BranchPythonOperator,
    EmptyOperator,
    ExternalPythonOperator,
    LatestOnlyOperator,
    PythonOperator,
    PythonVirtualenvOperator,
    ShortCircuitOperator,
    WeekDay,
)

__all__ = [
    "BaseBranchOperator", "BaseOperator", "BashOperator", "BranchDateTimeOperator",
    "BranchDayOfWeekOperator", "BranchPythonOperator", "EmptyOperator", "ExternalPythonOperator",
    "LatestOnlyOperator", "PythonOperator", "PythonVirtualenvOperator", "ShortCircuitOperator",
    "TaskFailed", "TaskSkipped", "WeekDay",
]  # fmt: skip

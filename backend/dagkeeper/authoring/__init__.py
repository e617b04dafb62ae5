"""The user-facing DAG authoring API: what a DAG file imports.

Only the standard library, croniter and :mod:`dagkeeper.serialization` are
used here, so building a DAG never touches the database or the web server.
"""

from dagkeeper.authoring.baseoperator import BaseOperator, chain
from dagkeeper.authoring.dag import DAG, dag
from dagkeeper.authoring.decorators import task
from dagkeeper.authoring.exceptions import DagDefinitionError, TaskFailed, TaskSkipped
from dagkeeper.authoring.params import Param
from dagkeeper.authoring.taskgroup import TaskGroup
from dagkeeper.authoring.xcom import XComArg

__all__ = [
    "DAG", "BaseOperator", "DagDefinitionError", "Param", "TaskFailed", "TaskGroup",
    "TaskSkipped", "XComArg", "chain", "dag", "task",
]  # fmt: skip

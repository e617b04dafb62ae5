"""The user-facing DAG authoring API: what a DAG file imports.

Only the standard library, croniter and :mod:`dagkeeper.serialization` are
used here, so building a DAG never touches the database or the web server.
"""

from dagkeeper.authoring.baseoperator import BaseOperator, chain, cross_downstream
from dagkeeper.authoring.context import get_current_context
from dagkeeper.authoring.dag import DAG, dag
from dagkeeper.authoring.decorators import setup, task, teardown
from dagkeeper.authoring.exceptions import DagDefinitionError, TaskFailed, TaskSkipped
from dagkeeper.authoring.params import Param
from dagkeeper.authoring.relations import Label
from dagkeeper.authoring.taskgroup import TaskGroup, task_group
from dagkeeper.authoring.xcom import XComArg
from dagkeeper.serialization import TriggerRule, WeightRule

__all__ = [
    "DAG", "BaseOperator", "DagDefinitionError", "Label", "Param", "TaskFailed", "TaskGroup",
    "TaskSkipped", "TriggerRule", "WeightRule", "XComArg", "chain", "cross_downstream", "dag",
    "get_current_context", "setup", "task", "task_group", "teardown",
]  # fmt: skip

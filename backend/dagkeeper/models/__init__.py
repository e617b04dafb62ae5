"""SQLAlchemy 2.0 models: the database is the single source of truth.

One module per table group; the queries views need live in small named
functions next to the models they read.
"""

from dagkeeper.models.base import Base, utcnow
from dagkeeper.models.change import ChangeCounter, ChangeKind, ChangeLog, record_change
from dagkeeper.models.component import ComponentHeartbeat, ParseRequest
from dagkeeper.models.dag import Dag, DagTag
from dagkeeper.models.log import TaskLog
from dagkeeper.models.run import DagRun, RunState, RunType
from dagkeeper.models.task_instance import (
    RenderedTaskFields,
    TaskInstance,
    TaskInstanceHistory,
    TaskState,
    archive_try,
)
from dagkeeper.models.version import DagCode, DagFile, DagImportError, DagVersion
from dagkeeper.models.xcom import XCom

__all__ = [
    "Base", "utcnow", "ChangeCounter", "ChangeKind", "ChangeLog", "record_change",
    "Dag", "DagTag", "TaskLog", "DagRun", "RunState", "RunType", "RenderedTaskFields",
    "TaskInstance", "TaskInstanceHistory", "TaskState", "DagCode", "DagFile",
    "DagImportError", "DagVersion", "XCom", "archive_try", "ComponentHeartbeat", "ParseRequest",
]  # fmt: skip

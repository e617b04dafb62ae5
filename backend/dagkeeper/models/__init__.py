"""SQLAlchemy 2.0 models: the database is the single source of truth.

One module per table group; the queries views need live in small named
functions next to the models they read.
"""

from dagkeeper.models.access import DagAccess
from dagkeeper.models.asset import (
    Asset,
    AssetAlias,
    AssetAliasAsset,
    AssetEvent,
    AssetEventQueue,
    AssetRole,
    DagAliasReference,
    DagAssetReference,
    DagRunAssetEvent,
)
from dagkeeper.models.auth import ApiToken, LoginAttempt, Role, Secret, User, UserSession, UserTeam
from dagkeeper.models.backfill import Backfill, ReprocessBehavior
from dagkeeper.models.base import Base, utcnow
from dagkeeper.models.change import ChangeCounter, ChangeKind, ChangeLog, record_change
from dagkeeper.models.component import ComponentHeartbeat, ParseRequest
from dagkeeper.models.connection import Connection
from dagkeeper.models.dag import Dag, DagTag
from dagkeeper.models.dag_counts import DagListCount
from dagkeeper.models.event_log import EventLog, Outcome, record_event
from dagkeeper.models.log import TaskLog
from dagkeeper.models.pool import DEFAULT_POOL, Pool
from dagkeeper.models.run import DagRun, RunExists, RunState, RunType, queue_manual_run
from dagkeeper.models.run_grid import DagRunGrid
from dagkeeper.models.task_instance import (
    RenderedTaskFields,
    TaskInstance,
    TaskInstanceHistory,
    TaskState,
    archive_try,
    clear_try,
)
from dagkeeper.models.trigger import Trigger
from dagkeeper.models.variable import ParseVariableRead, Variable
from dagkeeper.models.version import DagCode, DagFile, DagImportError, DagVersion
from dagkeeper.models.worker import Worker
from dagkeeper.models.xcom import RETURN_KEY, XCom

__all__ = [
    "Base", "utcnow", "ChangeCounter", "ChangeKind", "ChangeLog", "record_change",
    "Dag", "DagTag", "DagListCount", "TaskLog", "DagRun", "RunExists", "RunState", "RunType", "queue_manual_run", "DagRunGrid", "RenderedTaskFields",
    "TaskInstance", "TaskInstanceHistory", "TaskState", "DagCode", "DagFile",
    "DagImportError", "DagVersion", "RETURN_KEY", "Worker", "XCom", "archive_try", "clear_try", "DagAccess",
    "ApiToken", "LoginAttempt", "Role", "Secret", "User", "UserSession", "UserTeam", "EventLog",
    "Outcome", "record_event",
    "Connection", "DEFAULT_POOL", "Pool", "ParseVariableRead", "Variable",
    "ComponentHeartbeat", "ParseRequest",
    "Trigger",
    "Asset", "AssetAlias", "AssetAliasAsset", "AssetEvent", "AssetEventQueue", "AssetRole",
    "DagAliasReference", "DagAssetReference", "DagRunAssetEvent",
    "Backfill", "ReprocessBehavior",
]  # fmt: skip

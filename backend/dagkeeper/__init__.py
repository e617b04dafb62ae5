"""dagkeeper: a workflow orchestrator whose web server answers from the database alone.

The authoring names are loaded lazily (PEP 562) so that importing any
``dagkeeper`` subpackage -- the web API above all -- never imports the
authoring machinery by accident.
"""

from importlib import import_module

_AUTHORING = {
    "DAG": "dagkeeper.authoring.dag",
    "dag": "dagkeeper.authoring.dag",
    "task": "dagkeeper.authoring.decorators",
    "setup": "dagkeeper.authoring.decorators",
    "teardown": "dagkeeper.authoring.decorators",
    "TaskGroup": "dagkeeper.authoring.taskgroup",
    "task_group": "dagkeeper.authoring.taskgroup",
    "chain": "dagkeeper.authoring.baseoperator",
    "cross_downstream": "dagkeeper.authoring.baseoperator",
    "Param": "dagkeeper.authoring.params",
    "Label": "dagkeeper.authoring.relations",
    "XComArg": "dagkeeper.authoring.xcom",
    "get_current_context": "dagkeeper.authoring.context",
    "Asset": "dagkeeper.authoring.assets",
    "AssetAlias": "dagkeeper.authoring.assets",
    "AssetAll": "dagkeeper.authoring.assets",
    "AssetAny": "dagkeeper.authoring.assets",
    "AssetOrTimeSchedule": "dagkeeper.authoring.assets",
    "asset": "dagkeeper.authoring.assets",
    "CronTriggerTimetable": "dagkeeper.authoring.timetables",
    "MultipleCronTriggerTimetable": "dagkeeper.authoring.timetables",
    "DeltaTriggerTimetable": "dagkeeper.authoring.timetables",
    "EventsTimetable": "dagkeeper.authoring.timetables",
    "TriggerRule": "dagkeeper.serialization.schemas",
    "WeightRule": "dagkeeper.serialization.schemas",
    # run- and parse-time accessors that read the database (not authoring)
    "Variable": "dagkeeper.sdk",
    "Connection": "dagkeeper.sdk",
    "BaseHook": "dagkeeper.sdk",
}

__all__ = list(_AUTHORING)


def __getattr__(name: str):
    if name in _AUTHORING:
        return getattr(import_module(_AUTHORING[name]), name)
    raise AttributeError(f"module 'dagkeeper' has no attribute {name!r}")

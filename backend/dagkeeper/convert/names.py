"""The peer's importable names and ours: what ``dagkeeper convert`` can map.

A name maps wherever the peer exports it (``airflow.sdk``, ``airflow.models``,
``airflow.operators.*``, ``airflow.providers.standard.*``, ``airflow.decorators``,
``airflow.utils.*``, ...), since its modules re-export the same objects.
Exceptions keep the user's name through ``as``, so no other line changes.
"""

from __future__ import annotations

CORE = "dagkeeper"
OPERATORS = "dagkeeper.operators"
SDK = "dagkeeper.sdk"  # run- and parse-time accessors that read the database

# peer name -> (our module, our name)
PEER_NAMES: dict[str, tuple[str, str]] = {
    **{
        name: (CORE, name)
        for name in (
            "DAG", "dag", "task", "task_group", "TaskGroup", "chain", "cross_downstream",
            "Param", "Label", "XComArg", "get_current_context", "TriggerRule", "WeightRule",
            "setup", "teardown",
            "CronTriggerTimetable", "MultipleCronTriggerTimetable", "DeltaTriggerTimetable",
            "EventsTimetable",
        )
    },
    **{
        name: (OPERATORS, name)
        for name in (
            "BaseOperator", "BashOperator", "EmptyOperator", "PythonOperator",
            "BranchPythonOperator", "ShortCircuitOperator", "LatestOnlyOperator",
            "BranchDayOfWeekOperator", "BranchDateTimeOperator", "PythonVirtualenvOperator",
            "ExternalPythonOperator", "BaseBranchOperator", "WeekDay",
        )
    },
    **{
        name: (OPERATORS, name)
        for name in (
            "BaseSensorOperator", "PokeReturnValue", "BashSensor", "DateTimeSensor",
            "DateTimeSensorAsync", "FileSensor", "PythonSensor", "TimeDeltaSensor",
            "TimeDeltaSensorAsync", "TaskDeferred", "BaseTrigger", "DateTimeTrigger",
            "FileTrigger", "TimeDeltaTrigger", "TriggerDagRunOperator", "ExternalTaskSensor",
            "ExternalTaskMarker",
        )
    },
    "AirflowSensorTimeout": (OPERATORS, "SensorTimeout"),
    "AirflowRescheduleException": (OPERATORS, "TaskRescheduled"),
    **{name: (SDK, name) for name in ("Variable", "Connection", "BaseHook")},
    **{
        name: (CORE, name)
        for name in ("Asset", "AssetAlias", "AssetAll", "AssetAny", "AssetOrTimeSchedule", "asset")
    },
    **{  # Airflow 2 called assets datasets
        "Dataset" + suffix: (CORE, "Asset" + suffix)
        for suffix in ("", "Alias", "All", "Any", "OrTimeSchedule")
    },
    "DummyOperator": (OPERATORS, "EmptyOperator"),
    "AirflowSkipException": (OPERATORS, "TaskSkipped"),
    "AirflowFailException": (OPERATORS, "TaskFailed"),
    "AirflowException": (OPERATORS, "TaskFailed"),
}  # fmt: skip

# The peer's modules whose names we map; others (airflow.providers.amazon, ...) never map.
PEER_MODULES = (  # "airflow" itself, then families (the module or any below it)
    "airflow", "airflow.sdk", "airflow.models", "airflow.operators",
    "airflow.providers.standard", "airflow.decorators", "airflow.utils", "airflow.exceptions",
    "airflow.task", "airflow.hooks", "airflow.sensors", "airflow.triggers",
    "airflow.datasets", "airflow.timetables",
)  # fmt: skip


def is_peer_module(module: str) -> bool:
    return module == "airflow" or module.startswith("airflow.")


def target_of(module: str, name: str) -> tuple[str, str] | None:
    """Our (module, name) for ``from module import name``; None when we have no equivalent."""
    family = module == "airflow" or any(
        module == m or module.startswith(m + ".") for m in PEER_MODULES[1:]
    )
    return PEER_NAMES.get(name) if family else None

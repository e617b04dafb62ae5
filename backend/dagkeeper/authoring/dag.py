"""``DAG`` and the ``@dag`` decorator.

A DAG holds its tasks, task groups and run settings; the processor turns it
into the canonical document (:mod:`dagkeeper.authoring.to_document`) and the
runner looks tasks up in it by id. Every DAG constructed is reported to the
active :func:`dagkeeper.authoring.registry.capture`, wherever it was built.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dagkeeper.authoring import context, registry
from dagkeeper.authoring.assets import asset_schedule
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.naming import check_dag_id
from dagkeeper.authoring.params import NOTSET, DagParam, Param, as_params
from dagkeeper.authoring.schedule import schedule_document
from dagkeeper.authoring.taskgroup import TaskGroup

if TYPE_CHECKING:
    from dagkeeper.authoring.baseoperator import BaseOperator

_AUTHORING_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep

# The peer's DAG arguments accepted so that its files load; they have no
# effect here (the README lists them as no-ops).
NO_OP_ARGUMENTS = frozenset({
    "owner_links", "default_view", "orientation", "sla_miss_callback",
    "deadline", "fail_fast", "fail_stop", "max_consecutive_failed_dag_runs", "auto_register",
    "on_success_callback", "on_failure_callback", "dag_display_property_value",
})  # fmt: skip
# Airflow 2 spelled the per-DAG permissions differently; both mean the same here.
_PERMISSIONS = {"can_read": "can_read", "can_edit": "can_edit",
                "can_dag_read": "can_read", "can_dag_edit": "can_edit"}  # fmt: skip


def _caller_file() -> str:
    """The file of the first frame outside this package: where the DAG was defined."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_AUTHORING_DIR):
        frame = frame.f_back
    return frame.f_code.co_filename if frame is not None else "<unknown>"


def as_datetime(name: str, value: Any) -> datetime | None:
    """A plain, aware ``datetime`` from a datetime or a pendulum ``DateTime``.

    Naive values are UTC. A zone with a name (``ZoneInfo``, pendulum's
    ``Timezone``) becomes a ``ZoneInfo``; a fixed offset a ``timezone``.
    """
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise DagDefinitionError(f"{name} must be a datetime.datetime, got {value!r}")
    zone = value.tzinfo
    if zone is None:
        zone = UTC
    elif isinstance(zone, ZoneInfo):
        zone = ZoneInfo(zone.key)
    elif zone is not UTC:
        zone = timezone(value.utcoffset() or timedelta(0))
    return datetime(
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond, tzinfo=zone, fold=value.fold,
    )  # fmt: skip


class DAG:
    """A workflow: tasks, their dependencies and when to run them.

    Use it as a context manager; tasks created inside ``with DAG(...) as dag:``
    belong to it. ``start_date`` and ``end_date`` must be ``datetime`` objects
    (pendulum's too); naive ones are taken as UTC. When ``start_date`` carries
    a named zone (``zoneinfo.ZoneInfo``, ``pendulum.timezone(...)``), that zone
    is the DAG's timezone (cron schedules are computed in it); otherwise the
    timezone is UTC. Either date may also come from ``default_args``.

    Of the peer's other arguments, ``dagrun_timeout`` fails a run that takes
    longer, ``dag_display_name`` is the name the UI shows,
    ``is_paused_upon_creation`` decides the pause flag of a new DAG, and
    ``render_template_as_native_obj``, ``user_defined_macros``/``filters``,
    ``template_searchpath`` and ``jinja_environment_kwargs`` shape template
    rendering. The rest (:data:`NO_OP_ARGUMENTS`) are accepted and ignored.
    """

    def __init__(
        self,
        dag_id: str,
        schedule: Any = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        catchup: bool = False,
        tags: list[str] | None = None,
        default_args: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        description: str | None = None,
        doc_md: str | None = None,
        max_active_runs: int = 16,
        max_active_tasks: int = 16,
        access_control: dict[str, Any] | None = None,
        dagrun_timeout: timedelta | float | None = None,
        dag_display_name: str | None = None,
        is_paused_upon_creation: bool | None = None,
        render_template_as_native_obj: bool = False,
        user_defined_macros: dict[str, Any] | None = None,
        user_defined_filters: dict[str, Callable[..., Any]] | None = None,
        template_searchpath: str | list[str] | None = None,
        jinja_environment_kwargs: dict[str, Any] | None = None,
        schedule_interval: Any = None,
        **airflow_arguments: Any,
    ):
        unknown = sorted(set(airflow_arguments) - NO_OP_ARGUMENTS)
        if unknown:
            raise TypeError(
                f"DAG() got unexpected keyword argument(s) {', '.join(map(repr, unknown))}"
            )
        self.dag_id = check_dag_id(dag_id)
        if default_args is not None and not isinstance(default_args, dict):
            raise DagDefinitionError(f"default_args of DAG {dag_id!r} must be a dict")
        self.default_args: dict[str, Any] = dict(default_args or {})
        if schedule is None and schedule_interval is not None:
            schedule = schedule_interval  # the peer's older name
        self.schedule = schedule
        self.asset_condition, time_schedule = asset_schedule(schedule)
        self.schedule_document = schedule_document(time_schedule)
        self.start_date = as_datetime(
            "start_date",
            start_date if start_date is not None else self.default_args.get("start_date"),
        )
        self.end_date = as_datetime(
            "end_date", end_date if end_date is not None else self.default_args.get("end_date")
        )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise DagDefinitionError(f"end_date of DAG {dag_id!r} is before its start_date")
        tzinfo = self.start_date.tzinfo if self.start_date else None
        self.timezone = tzinfo.key if isinstance(tzinfo, ZoneInfo) else "UTC"
        self.catchup = bool(catchup)
        self.tags = _check_tags(dag_id, tags)
        self.params: dict[str, Param] = as_params(params)
        self.description = description
        self.doc_md = doc_md
        self.max_active_runs = _check_limit(dag_id, "max_active_runs", max_active_runs)
        self.max_active_tasks = _check_limit(dag_id, "max_active_tasks", max_active_tasks)
        self.access_control = _check_access_control(dag_id, access_control)
        self.dagrun_timeout = _timeout_seconds(dag_id, dagrun_timeout)
        self.dag_display_name = dag_display_name
        self.is_paused_upon_creation = is_paused_upon_creation
        self.render_template_as_native_obj = bool(render_template_as_native_obj)
        self.user_defined_macros = dict(user_defined_macros or {})
        self.user_defined_filters = dict(user_defined_filters or {})
        searchpath = template_searchpath or []
        self.template_searchpath = [searchpath] if isinstance(searchpath, str) else list(searchpath)
        self.jinja_environment_kwargs = dict(jinja_environment_kwargs or {})
        self.fileloc = _caller_file()
        self.edge_labels: dict[tuple[str, str], str] = {}
        self.task_dict: dict[str, BaseOperator] = {}
        self.task_group_dict: dict[str, TaskGroup] = {}
        self.task_group = TaskGroup.root(self)
        registry.register(self)

    # -- membership ---------------------------------------------------------

    def add_task(self, task: BaseOperator) -> None:
        if task.task_id in self.task_dict:
            raise DagDefinitionError(
                f"Task id {task.task_id!r} has already been added to the DAG {self.dag_id!r}"
            )
        if task.task_id in self.task_group_dict:
            raise DagDefinitionError(
                f"Task id {task.task_id!r} is already the id of a task group "
                f"in the DAG {self.dag_id!r}"
            )
        self.task_dict[task.task_id] = task

    def add_group(self, group: TaskGroup) -> None:
        assert group.group_id is not None
        if group.group_id in self.task_group_dict:
            raise DagDefinitionError(
                f"Task group id {group.group_id!r} has already been added to the DAG "
                f"{self.dag_id!r}"
            )
        if group.group_id in self.task_dict:
            raise DagDefinitionError(
                f"Task group id {group.group_id!r} is already the id of a task "
                f"in the DAG {self.dag_id!r}"
            )
        self.task_group_dict[group.group_id] = group

    @property
    def tasks(self) -> list[BaseOperator]:
        return list(self.task_dict.values())

    @property
    def task_ids(self) -> list[str]:
        return list(self.task_dict)

    def get_task(self, task_id: str) -> BaseOperator:
        try:
            return self.task_dict[task_id]
        except KeyError:
            raise KeyError(f"Task {task_id!r} not found in DAG {self.dag_id!r}") from None

    # -- checks and output --------------------------------------------------

    def check_cycle(self) -> None:
        """Raise :class:`DagDefinitionError` naming the first cycle found, if any."""
        from dagkeeper.authoring.to_document import check_cycle

        check_cycle(self)

    def to_bytes(self) -> bytes:
        """The canonical document bytes (validated); their SHA-256 is the version hash."""
        from dagkeeper.authoring.to_document import serialize_dag
        from dagkeeper.serialization import dumps

        return dumps(serialize_dag(self))

    def __enter__(self) -> DAG:
        context.push(self.task_group)
        return self

    def __exit__(self, *exc: object) -> None:
        context.pop(self.task_group)

    def __repr__(self) -> str:
        return f"<DAG: {self.dag_id}>"


def _timeout_seconds(dag_id: str, value: Any) -> float | None:
    if value is None:
        return None
    seconds = value.total_seconds() if isinstance(value, timedelta) else value
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
        raise DagDefinitionError(
            f"dagrun_timeout of DAG {dag_id!r} must be a positive timedelta or seconds, "
            f"got {value!r}"
        )
    return float(seconds)


def _check_tags(dag_id: str, tags: Any) -> list[str]:
    tags = list(tags or [])
    for tag in tags:
        if not isinstance(tag, str) or not 1 <= len(tag) <= 100:
            raise DagDefinitionError(
                f"Invalid tag {tag!r} in DAG {dag_id!r}: tags are strings of 1 to 100 characters"
            )
    return tags


def _check_access_control(dag_id: str, value: Any) -> dict[str, list[str]]:
    """``{"role or team": {"can_read", "can_edit"}}`` (Airflow's ``{"DAGs": {...}}`` too)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DagDefinitionError(f"access_control of DAG {dag_id!r} must be a dict")
    grants: dict[str, list[str]] = {}
    for principal, permissions in value.items():
        if isinstance(permissions, dict):  # Airflow 2.x: {"role": {"DAGs": {"can_read"}}}
            permissions = permissions.get("DAGs", set())
        if not isinstance(principal, str) or not 1 <= len(principal) <= 100:
            raise DagDefinitionError(f"access_control of DAG {dag_id!r}: bad key {principal!r}")
        if isinstance(permissions, str) or not all(p in _PERMISSIONS for p in permissions):
            raise DagDefinitionError(
                f"access_control of DAG {dag_id!r}: {principal!r} needs a set of"
                " 'can_read' and/or 'can_edit'"
            )
        grants[principal] = sorted({_PERMISSIONS[p] for p in permissions})
    return grants


def _check_limit(dag_id: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DagDefinitionError(f"{name} of DAG {dag_id!r} must be an integer >= 1, got {value!r}")
    return value


def dag(dag_id: Any = None, **dag_kwargs: Any) -> Any:
    """Decorate a function whose call builds a DAG: ``@dag`` or ``@dag(schedule=...)``.

    The DAG id defaults to the function's name and its docstring to ``doc_md``.
    The function's arguments become DAG params: ``params=`` wins over a
    function default, and a value passed in the call wins over both. Inside,
    each argument is a :class:`DagParam` that tasks resolve at run time.
    """
    if callable(dag_id):
        return dag()(dag_id)

    def decorator(function: Callable[..., Any]) -> Callable[..., DAG]:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def factory(*args: Any, **kwargs: Any) -> DAG:
            passed = signature.bind_partial(*args, **kwargs).arguments
            params = _params_of_call(signature, passed, as_params(dag_kwargs.get("params")))
            arguments = {**dag_kwargs, "params": params}
            arguments.setdefault("doc_md", inspect.getdoc(function))
            with DAG(dag_id or function.__name__, **arguments) as new_dag:
                function(**{n: DagParam(n, params[n].default) for n in _argument_names(signature)})
            return new_dag

        return factory

    return decorator


def _argument_names(signature: inspect.Signature) -> list[str]:
    return [
        name
        for name, p in signature.parameters.items()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _params_of_call(
    signature: inspect.Signature, passed: dict[str, Any], params: dict[str, Param]
) -> dict[str, Param]:
    """DAG params for one ``@dag`` call: call value > ``params=`` > function default."""
    for name in _argument_names(signature):
        if name in passed:
            given = params.get(name)
            params[name] = given.with_default(passed[name]) if given else Param(passed[name])
        elif name not in params:
            default = signature.parameters[name].default
            params[name] = Param(NOTSET if default is inspect.Parameter.empty else default)
    return params

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
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dagkeeper.authoring import context, registry
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.naming import check_dag_id
from dagkeeper.authoring.params import NOTSET, DagParam, Param, as_params
from dagkeeper.authoring.schedule import schedule_document
from dagkeeper.authoring.taskgroup import TaskGroup

if TYPE_CHECKING:
    from dagkeeper.authoring.baseoperator import BaseOperator

_AUTHORING_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep

# Airflow DAG arguments accepted so that Airflow-style files load; they have
# no effect here.
_IGNORED_ARGUMENTS = frozenset({"owner_links", "default_view", "orientation"})
# Airflow 2 spelled the per-DAG permissions differently; both mean the same here.
_PERMISSIONS = {"can_read": "can_read", "can_edit": "can_edit",
                "can_dag_read": "can_read", "can_dag_edit": "can_edit"}  # fmt: skip


def _caller_file() -> str:
    """The file of the first frame outside this package: where the DAG was defined."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_AUTHORING_DIR):
        frame = frame.f_back
    return frame.f_code.co_filename if frame is not None else "<unknown>"


def _as_date(name: str, value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise DagDefinitionError(f"{name} must be a datetime.datetime, got {value!r}")
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class DAG:
    """A workflow: tasks, their dependencies and when to run them.

    Use it as a context manager; tasks created inside ``with DAG(...) as dag:``
    belong to it. ``start_date`` and ``end_date`` must be ``datetime`` objects;
    naive ones are taken as UTC. When ``start_date`` carries a
    ``zoneinfo.ZoneInfo``, that zone is the DAG's timezone (cron schedules are
    computed in it); otherwise the timezone is UTC. Either date may also come
    from ``default_args``.
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
        **airflow_arguments: Any,
    ):
        unknown = sorted(set(airflow_arguments) - _IGNORED_ARGUMENTS)
        if unknown:
            raise TypeError(
                f"DAG() got unexpected keyword argument(s) {', '.join(map(repr, unknown))}"
            )
        self.dag_id = check_dag_id(dag_id)
        if default_args is not None and not isinstance(default_args, dict):
            raise DagDefinitionError(f"default_args of DAG {dag_id!r} must be a dict")
        self.default_args: dict[str, Any] = dict(default_args or {})
        self.schedule = schedule
        self.schedule_document = schedule_document(schedule)
        self.start_date = _as_date(
            "start_date",
            start_date if start_date is not None else self.default_args.get("start_date"),
        )
        self.end_date = _as_date(
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
        self.fileloc = _caller_file()
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

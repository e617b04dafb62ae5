"""The run-time context a task sees, and the Jinja rendering of its template fields.

The names follow Airflow's so templates written for it read the same here:
``{{ ds }}``, ``{{ params.x }}``, ``{{ dag_run.conf }}``,
``{{ macros.ds_add(ds, 1) }}``. Undefined names fail the task with a clear
error (Jinja's ``StrictUndefined``, Airflow's default too). The DAG shapes
the Jinja environment as in the peer: ``user_defined_macros``/``filters``,
``template_searchpath`` (after the DAG file's folder), native rendering and
``jinja_environment_kwargs``; a template field ending in one of the task's
``template_ext`` is the name of a template file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import jinja2
import jinja2.nativetypes
from sqlalchemy import select

from dagkeeper import db
from dagkeeper.authoring.assets import OutletEventAccessors
from dagkeeper.models import RETURN_KEY, DagRun, TaskInstance, XCom
from dagkeeper.runner.asset_context import InletEvents, TriggeringAssetEvents
from dagkeeper.sdk.templates import ConnectionAccessor, VariableAccessor
from dagkeeper.serialization import jsonable


def ds_add(ds: str, days: int) -> str:
    """``ds`` (YYYY-MM-DD) moved by ``days`` days."""
    return (datetime.strptime(ds, "%Y-%m-%d") + timedelta(days=days)).strftime("%Y-%m-%d")


def ds_format(ds: str, input_format: str, output_format: str) -> str:
    return datetime.strptime(ds, input_format).strftime(output_format)


MACROS = SimpleNamespace(ds_add=ds_add, ds_format=ds_format, datetime=datetime, timedelta=timedelta)


@dataclass(frozen=True)
class DagRunView:
    """What templates and callables see as ``dag_run``."""

    id: int
    dag_id: str
    run_id: str
    run_type: str
    logical_date: datetime
    data_interval_start: datetime | None
    data_interval_end: datetime | None
    conf: dict[str, Any]


@dataclass(frozen=True)
class TaskInstanceView:
    """What templates and callables see as ``ti``: XComs in and out, and skips to apply.

    ``skip(task_ids)`` only collects: the runner writes those skips with the
    try's own outcome, so a branch that fails afterwards skips nothing.
    """

    id: int
    dag_id: str
    run_id: str
    task_id: str
    try_number: int
    max_tries: int
    dag_run_id: int
    skips: set[str] = field(default_factory=set, compare=False)
    first_poke_at: datetime | None = None  # a rescheduled sensor's first poke of this try
    poke_count: int = 0  # pokes of this try before this run of it
    map_index: int = -1  # which element of a mapped task; -1 for an unmapped task

    def xcom_push(self, key: str, value: Any) -> None:
        """Publish ``value`` (JSON) under ``key`` for tasks after this one, right away."""
        if not isinstance(key, str) or not key:
            raise ValueError(f"xcom_push needs a non-empty string key, got {key!r}")
        with db.transaction() as session:
            session.merge(
                XCom(task_instance_id=self.id, key=key, value=json.dumps(jsonable(value)))
            )

    def xcom_pull(
        self,
        task_ids: str | list[str] | None = None,
        key: str = RETURN_KEY,
        map_indexes: int | list[int] | None = None,
        default: Any = None,
        include_prior_dates: bool = False,
        **_ignored: Any,
    ) -> Any:
        """The XCom ``key`` of ``task_ids`` in this run (a list for a list of ids).

        ``task_ids=None`` means this task, as in the peer's current version.
        A mapped task gives the list of its map indexes' values, in map-index
        order (what a reduce task receives), unless ``map_indexes`` picks one
        index (its value) or several (their values, in the order asked).
        With ``include_prior_dates``, a task with no such XCom in this run
        gives its latest one from the DAG's runs with an earlier logical date.
        """
        ids = self.task_id if task_ids is None else task_ids
        wanted = [ids] if isinstance(ids, str) else list(ids)
        found: dict[str, dict[int, str]] = {}  # task -> map index -> value, of its latest run
        this_run = select(DagRun.logical_date).where(DagRun.id == self.dag_run_id)
        runs = (
            DagRun.logical_date <= this_run.scalar_subquery()
            if include_prior_dates
            else DagRun.id == self.dag_run_id
        )
        with db.read_session() as session:
            rows = session.execute(
                select(
                    TaskInstance.task_id,
                    TaskInstance.dag_run_id,
                    TaskInstance.map_index,
                    XCom.value,
                )
                .join(XCom, XCom.task_instance_id == TaskInstance.id)
                .join(DagRun, DagRun.id == TaskInstance.dag_run_id)
                .where(
                    DagRun.dag_id == self.dag_id,
                    runs,
                    TaskInstance.task_id.in_(wanted),
                    XCom.key == key,
                )
                .order_by(DagRun.logical_date.desc(), TaskInstance.map_index)
            ).all()
        latest_run: dict[str, int] = {}
        for task_id, run_pk, map_index, value in rows:
            if latest_run.setdefault(task_id, run_pk) == run_pk:  # the latest run's only
                found.setdefault(task_id, {})[map_index] = value
        values = [_pick(found.get(t), map_indexes, default) for t in wanted]
        return values[0] if isinstance(ids, str) else values

    def skip(self, task_ids: list[str]) -> None:
        """Skip these tasks of the run (those not started) when this try succeeds."""
        self.skips.update(task_ids)


def _pick(
    by_index: dict[int, str] | None, map_indexes: int | list[int] | None, default: Any
) -> Any:
    """One task's XCom from its values by map index (see ``xcom_pull``)."""
    if by_index is None:
        return default
    if map_indexes is None:
        if -1 in by_index:
            return json.loads(by_index[-1])
        return [json.loads(by_index[i]) for i in sorted(by_index)]
    if isinstance(map_indexes, int):
        return json.loads(by_index[map_indexes]) if map_indexes in by_index else default
    return [json.loads(by_index[i]) if i in by_index else default for i in map_indexes]


def _param_defaults(params: dict[str, Any]) -> dict[str, Any]:
    return {name: None if param.required else param.default for name, param in params.items()}


def build_context(dag: Any, task: Any, run: DagRunView, ti: TaskInstanceView) -> dict[str, Any]:
    """The context dict passed to ``execute`` and used to render templates."""
    logical_date = run.logical_date
    params = {**_param_defaults(dag.params), **_param_defaults(task.params), **run.conf}
    return {
        "dag": dag,
        "task": task,
        "ti": ti,
        "task_instance": ti,
        "dag_run": run,
        "run_id": run.run_id,
        "try_number": ti.try_number,
        "logical_date": logical_date,
        "ds": logical_date.strftime("%Y-%m-%d"),
        "ds_nodash": logical_date.strftime("%Y%m%d"),
        "ts": logical_date.isoformat(),
        "ts_nodash": logical_date.strftime("%Y%m%dT%H%M%S"),
        "data_interval_start": run.data_interval_start,
        "data_interval_end": run.data_interval_end,
        "params": params,
        "conf": run.conf,
        "macros": MACROS,
        "var": VariableAccessor(),
        "conn": ConnectionAccessor(),
        "inlets": getattr(task, "inlets", []),
        "inlet_events": InletEvents(task.task_id, getattr(task, "inlets", [])),
        "outlets": getattr(task, "outlets", []),
        "outlet_events": OutletEventAccessors(),
        "triggering_asset_events": TriggeringAssetEvents(run.id),
    }


def environment_for(dag: Any) -> jinja2.Environment:
    """The Jinja environment a DAG's templates render in."""
    kind = (
        jinja2.nativetypes.NativeEnvironment
        if getattr(dag, "render_template_as_native_obj", False)
        else jinja2.Environment
    )
    folder = os.path.dirname(os.path.abspath(dag.fileloc))
    environment = kind(
        **{
            "undefined": jinja2.StrictUndefined,
            "keep_trailing_newline": True,
            **getattr(dag, "jinja_environment_kwargs", {}),
            "loader": jinja2.FileSystemLoader([folder, *getattr(dag, "template_searchpath", [])]),
        }
    )
    environment.filters.update(getattr(dag, "user_defined_filters", {}))
    environment.globals.update(getattr(dag, "user_defined_macros", {}))
    return environment


def render(
    value: Any,
    context: dict[str, Any],
    environment: jinja2.Environment,
    template_ext: tuple[str, ...] = (),
) -> Any:
    """Render every string inside ``value`` (lists, tuples and dicts are walked).

    A string ending in one of ``template_ext`` names a template file, found
    on the environment's search path.
    """
    if isinstance(value, str):
        if template_ext and value.endswith(template_ext):
            return environment.get_template(value).render(context)
        return environment.from_string(value).render(context)
    if isinstance(value, list):
        return [render(v, context, environment, template_ext) for v in value]
    if isinstance(value, tuple):
        return tuple(render(v, context, environment, template_ext) for v in value)
    if isinstance(value, dict):
        return {k: render(v, context, environment, template_ext) for k, v in value.items()}
    return value


def render_template_fields(
    task: Any, context: dict[str, Any], environment: jinja2.Environment
) -> dict[str, Any]:
    """Render the task's template fields in place; returns field -> rendered value."""
    rendered = {}
    for name in task.template_fields:
        value = render(getattr(task, name), context, environment, tuple(task.template_ext))
        setattr(task, name, value)
        rendered[name] = value
    return rendered

"""The run-time context a task sees, and the Jinja rendering of its template fields.

The names follow Airflow's so templates written for it read the same here:
``{{ ds }}``, ``{{ params.x }}``, ``{{ dag_run.conf }}``,
``{{ macros.ds_add(ds, 1) }}``. Undefined names fail the task with a clear
error (Jinja's ``StrictUndefined``, Airflow's default too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import jinja2
from sqlalchemy import select

from dagkeeper import db
from dagkeeper.models import TaskInstance, XCom
from dagkeeper.redaction import mask_secrets
from dagkeeper.sdk.templates import ConnectionAccessor, VariableAccessor


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
    """What templates and callables see as ``ti``; ``xcom_pull`` reads upstream results."""

    id: int
    dag_id: str
    run_id: str
    task_id: str
    try_number: int
    max_tries: int
    dag_run_id: int

    def xcom_pull(self, task_ids: str | list[str] | None = None, **_ignored: Any) -> Any:
        """The return value of ``task_ids`` in this run (a list for a list of ids)."""
        if task_ids is None:
            return None
        wanted = [task_ids] if isinstance(task_ids, str) else list(task_ids)
        with db.read_session() as session:
            found = dict(
                session.execute(
                    select(TaskInstance.task_id, XCom.value)
                    .join(XCom, XCom.task_instance_id == TaskInstance.id)
                    .where(
                        TaskInstance.dag_run_id == self.dag_run_id,
                        TaskInstance.task_id.in_(wanted),
                    )
                ).all()
            )
        values = [json.loads(found[t]) if t in found else None for t in wanted]
        return values[0] if isinstance(task_ids, str) else values


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
    }


_ENVIRONMENT = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def render(value: Any, context: dict[str, Any]) -> Any:
    """Render every string inside ``value`` (lists, tuples and dicts are walked)."""
    if isinstance(value, str):
        return _ENVIRONMENT.from_string(value).render(context)
    if isinstance(value, list):
        return [render(v, context) for v in value]
    if isinstance(value, tuple):
        return tuple(render(v, context) for v in value)
    if isinstance(value, dict):
        return {k: render(v, context) for k, v in value.items()}
    return value


def render_template_fields(task: Any, context: dict[str, Any]) -> dict[str, Any]:
    """Render the task's template fields in place; returns field -> rendered value, with
    secrets masked (what is stored and shown, never what the task runs with)."""
    rendered = {}
    for name in task.template_fields:
        value = render(getattr(task, name), context)
        setattr(task, name, value)
        rendered[name] = mask_secrets(value, name)
    return rendered

"""Gantt of a run, a task's history over runs, and a DAG's calendar of daily outcomes."""

from __future__ import annotations

from marshmallow import fields, validate

from dagkeeper.api.schemas.common import Strict, nullable

R = {"required": True}


class GanttQuery(Strict):
    run_id = fields.String(metadata={"description": "without it: the newest run"})


class GanttTrySchema(Strict):
    task_id = fields.String(**R)
    try_number = fields.Integer(**R)
    state = nullable(fields.String)
    queued_at = nullable(fields.DateTime)
    start_date = nullable(fields.DateTime)
    end_date = nullable(fields.DateTime)
    hostname = nullable(fields.String)
    current = fields.Boolean(**R, metadata={"description": "the task instance's latest try"})


class GanttSchema(Strict):
    dag_id = fields.String(**R)
    run_id = fields.String(**R)
    state = fields.String(**R)
    version_number = fields.Integer(**R)
    queued_at = nullable(fields.DateTime)
    start_date = nullable(fields.DateTime)
    end_date = nullable(fields.DateTime)
    tries = fields.List(
        fields.Nested(GanttTrySchema), **R, metadata={"description": "by task, try"}
    )


class TaskHistoryQuery(Strict):
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=1000))


class TaskRunSchema(Strict):
    run_id = fields.String(**R)
    logical_date = fields.DateTime(**R)
    state = nullable(fields.String)
    try_number = fields.Integer(**R)
    start_date = nullable(fields.DateTime)
    end_date = nullable(fields.DateTime)
    duration = nullable(fields.Float)


class TaskHistorySchema(Strict):
    dag_id = fields.String(**R)
    task_id = fields.String(**R)
    runs = fields.List(fields.Nested(TaskRunSchema), **R, metadata={"description": "oldest first"})


class CalendarQuery(Strict):
    year = fields.Integer(validate=validate.Range(min=1970, max=9999))


class CalendarDaySchema(Strict):
    date = fields.Date(**R)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), **R)


class CalendarSchema(Strict):
    dag_id = fields.String(**R)
    year = fields.Integer(**R)
    days = fields.List(
        fields.Nested(CalendarDaySchema), **R, metadata={"description": "days with runs only"}
    )

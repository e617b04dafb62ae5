"""Task instances: the TI object, its tries, logs, marking and clearing."""

from __future__ import annotations

from marshmallow import fields, validate

from dagkeeper.api.schemas.common import Strict, json_bool, nullable

R = {"required": True}


class TaskInstanceSchema(Strict):
    dag_id = fields.String(**R)
    run_id = fields.String(**R)
    task_id = fields.String(**R)
    state = nullable(fields.String)
    try_number = fields.Integer(**R)
    max_tries = fields.Integer(**R)
    start_date = nullable(fields.DateTime)
    end_date = nullable(fields.DateTime)
    duration = nullable(fields.Float, metadata={"description": "seconds"})
    queued_at = nullable(fields.DateTime)
    hostname = nullable(fields.String)
    pid = nullable(fields.Integer)
    queue = nullable(fields.String, metadata={"description": "the workers' queue it is sent to"})
    operator = nullable(fields.String)


class TaskInstanceCollection(Strict):
    task_instances = fields.List(fields.Nested(TaskInstanceSchema), **R)
    total_entries = fields.Integer(**R)


class TrySchema(Strict):
    try_number = fields.Integer(**R)
    state = nullable(fields.String)
    start_date = nullable(fields.DateTime)
    end_date = nullable(fields.DateTime)
    duration = nullable(fields.Float)
    hostname = nullable(fields.String)
    pid = nullable(fields.Integer)
    queue = nullable(fields.String)


class TaskInstanceDetailSchema(TaskInstanceSchema):
    rendered_fields = nullable(
        fields.Dict, metadata={"description": "field -> rendered value, for the current try"}
    )
    tries = fields.List(fields.Nested(TrySchema), **R, metadata={"description": "oldest first"})


class LogQuery(Strict):
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class LogSchema(Strict):
    content = fields.String(**R)
    offset = fields.Integer(**R)
    next_offset = fields.Integer(**R)
    complete = fields.Boolean(**R, metadata={"description": "the try is over"})


class TaskInstancePatch(Strict):
    state = fields.String(**R, validate=validate.OneOf(["success", "failed"]))


class ClearBody(Strict):
    task_ids = fields.List(
        fields.String(), validate=validate.Length(min=1),
        metadata={"description": "default: every task"},
    )  # fmt: skip
    dag_run_ids = fields.List(fields.String(), **R, validate=validate.Length(min=1))
    include_upstream = json_bool(load_default=False)
    include_downstream = json_bool(load_default=False)
    only_failed = json_bool(load_default=False)
    dry_run = json_bool(load_default=False)


class ClearedSchema(Strict):
    dag_id = fields.String(**R)
    run_id = fields.String(**R)
    task_id = fields.String(**R)
    state = nullable(fields.String, metadata={"description": "the state before clearing"})


class ClearedCollection(Strict):
    task_instances = fields.List(fields.Nested(ClearedSchema), **R)

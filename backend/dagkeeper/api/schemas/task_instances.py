"""Task instances: the TI object, its tries, logs, marking and clearing."""

from __future__ import annotations

from marshmallow import fields, validate

from dagkeeper.api.schemas.common import (
    MAX_INT32,
    PageQuery,
    Strict,
    id_list,
    json_bool,
    nullable,
    query_int,
)
from dagkeeper.models import TaskState

R = {"required": True}
MAX_LOG_CHARS = 1_000_000  # one log response at most; readers page on with next_offset
MAX_CLEAR_RUNS = 1000
MAX_CLEAR_TASKS = 10_000


class TaskInstanceSchema(Strict):
    dag_id = fields.String(**R)
    run_id = fields.String(**R)
    task_id = fields.String(**R)
    map_index = fields.Integer(**R, metadata={"description": "-1: not mapped (or not expanded)"})
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
    note = nullable(fields.String)


class TaskInstanceCollection(Strict):
    task_instances = fields.List(fields.Nested(TaskInstanceSchema), **R)
    total_entries = fields.Integer(**R)


def map_index_field() -> fields.Integer:
    return query_int(-1, MAX_INT32, load_default=-1, metadata={
        "description": "which map index of a mapped task; -1 (default): an unmapped task"
    })  # fmt: skip


class MapIndexQuery(Strict):
    map_index = map_index_field()


class MappedQuery(PageQuery):
    state = fields.String(
        validate=validate.OneOf(TaskState.ALL), metadata={"description": "only this state"}
    )


class MappedCollection(TaskInstanceCollection):
    state_counts = fields.Dict(
        keys=fields.String(), values=fields.Integer(), **R,
        metadata={"description": "map indexes per state, whatever the filter"},
    )  # fmt: skip


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
    offset = query_int(maximum=MAX_INT32 - MAX_LOG_CHARS, load_default=0)
    map_index = map_index_field()


class LogSchema(Strict):
    content = fields.String(**R)
    offset = fields.Integer(**R)
    next_offset = fields.Integer(**R)
    complete = fields.Boolean(**R, metadata={"description": "the try is over"})


class TaskInstancePatch(Strict):
    state = fields.String(**R, validate=validate.OneOf(["success", "failed"]))


class ClearBody(Strict):
    task_ids = id_list(MAX_CLEAR_TASKS, metadata={"description": "default: every task"})
    dag_run_ids = id_list(MAX_CLEAR_RUNS, **R)
    include_upstream = json_bool(load_default=False)
    include_downstream = json_bool(load_default=False)
    only_failed = json_bool(load_default=False)
    dry_run = json_bool(load_default=False)
    map_indexes = fields.List(
        fields.Integer(strict=True, validate=validate.Range(0, MAX_INT32)),
        validate=validate.Length(1, MAX_CLEAR_TASKS),
        metadata={"description": "only these map indexes of the mapped tasks in task_ids"},
    )


class ClearedSchema(Strict):
    dag_id = fields.String(**R)
    run_id = fields.String(**R)
    task_id = fields.String(**R)
    map_index = fields.Integer(**R)
    state = nullable(fields.String, metadata={"description": "the state before clearing"})


class ClearedCollection(Strict):
    task_instances = fields.List(fields.Nested(ClearedSchema), **R)

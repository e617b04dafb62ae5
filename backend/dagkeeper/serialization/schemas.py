"""Marshmallow schemas of the serialized DAG document, format 1.

They validate every document on its way into the database and turn stored
bytes back into the plain typed objects of :mod:`dagkeeper.serialization.document`.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

FORMAT = 1

SCHEDULE_KINDS = ("cron", "preset", "timedelta", "once", "none")
TRIGGER_RULES = (
    "all_success", "all_failed", "all_done", "one_success", "one_failed",
    "none_failed", "none_skipped", "always",
)  # fmt: skip
PARAM_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")

Number = fields.Raw  # an int, or a float only where it is not whole (checked by the encoder)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ScheduleSchema(_Strict):
    kind = fields.String(required=True, validate=validate.OneOf(SCHEDULE_KINDS))
    expression = fields.String(required=True, allow_none=True)
    seconds = fields.Integer(required=True, allow_none=True)

    @validates_schema
    def _consistent(self, data, **_):
        kind = data["kind"]
        if kind == "timedelta" and not data.get("seconds"):
            raise ValidationError("a timedelta schedule needs positive seconds", "seconds")
        if kind in ("cron", "preset") and not data.get("expression"):
            raise ValidationError(f"a {kind} schedule needs an expression", "expression")


class ParamSchema(_Strict):
    default = fields.Raw(required=True, allow_none=True)
    type = fields.String(required=True, allow_none=True, validate=validate.OneOf(PARAM_TYPES))
    description = fields.String(required=True, allow_none=True)
    title = fields.String(required=True, allow_none=True)
    enum = fields.List(fields.Raw(allow_none=True), required=True, allow_none=True)
    minimum = Number(required=True, allow_none=True)
    maximum = Number(required=True, allow_none=True)
    required = fields.Boolean(required=True)
    position = fields.Integer(required=True, validate=validate.Range(min=0))  # declared order


class TaskSchema(_Strict):
    task_id = fields.String(required=True, validate=validate.Length(1, 250))
    label = fields.String(required=True)
    operator = fields.String(required=True)
    group = fields.String(required=True, allow_none=True)
    retries = fields.Integer(required=True, validate=validate.Range(min=0))
    retry_delay = Number(required=True)
    trigger_rule = fields.String(required=True, validate=validate.OneOf(TRIGGER_RULES))
    execution_timeout = Number(required=True, allow_none=True)
    owner = fields.String(required=True)
    doc_md = fields.String(required=True, allow_none=True)
    template_fields = fields.List(fields.String(), required=True)
    template_values = fields.Dict(
        keys=fields.String(), values=fields.Raw(allow_none=True), required=True
    )
    ui_color = fields.String(required=True)
    ui_fgcolor = fields.String(required=True)
    queue = fields.String(allow_none=True, validate=validate.Length(1, 256))  # absent: default


class TaskGroupSchema(_Strict):
    group_id = fields.String(required=True)
    label = fields.String(required=True)
    parent = fields.String(required=True, allow_none=True)
    tooltip = fields.String(required=True, allow_none=True)
    ui_color = fields.String(required=True)
    ui_fgcolor = fields.String(required=True)


class DagDocumentSchema(_Strict):
    format = fields.Integer(required=True, validate=validate.Equal(FORMAT))
    dag_id = fields.String(required=True, validate=validate.Length(1, 250))
    description = fields.String(required=True, allow_none=True)
    doc_md = fields.String(required=True, allow_none=True)
    schedule = fields.Nested(ScheduleSchema, required=True)
    timezone = fields.String(required=True)
    start_date = fields.String(required=True, allow_none=True)
    end_date = fields.String(required=True, allow_none=True)
    catchup = fields.Boolean(required=True)
    max_active_runs = fields.Integer(required=True, validate=validate.Range(min=1))
    max_active_tasks = fields.Integer(required=True, validate=validate.Range(min=1))
    owners = fields.List(fields.String(), required=True)
    tags = fields.List(fields.String(validate=validate.Length(1, 100)), required=True)
    params = fields.Dict(keys=fields.String(), values=fields.Nested(ParamSchema), required=True)
    default_args = fields.Dict(
        keys=fields.String(), values=fields.Raw(allow_none=True), required=True
    )
    tasks = fields.List(fields.Nested(TaskSchema), required=True)
    task_groups = fields.List(fields.Nested(TaskGroupSchema), required=True)
    edges = fields.List(
        fields.List(fields.String(), validate=validate.Length(equal=2)), required=True
    )

    @validates_schema
    def _references(self, data, **_):
        """Edges and group memberships must name tasks and groups that exist."""
        task_ids = {t["task_id"] for t in data["tasks"]}
        group_ids = {g["group_id"] for g in data["task_groups"]}
        if len(task_ids) != len(data["tasks"]):
            raise ValidationError("duplicate task_id", "tasks")
        for up, down in data["edges"]:
            if up not in task_ids or down not in task_ids:
                raise ValidationError(f"edge {up!r} -> {down!r} names an unknown task", "edges")
        for task in data["tasks"]:
            if task["group"] is not None and task["group"] not in group_ids:
                raise ValidationError(f"task {task['task_id']!r} names an unknown group", "tasks")
        for group in data["task_groups"]:
            if group["parent"] is not None and group["parent"] not in group_ids:
                raise ValidationError(
                    f"group {group['group_id']!r} names an unknown parent", "task_groups"
                )

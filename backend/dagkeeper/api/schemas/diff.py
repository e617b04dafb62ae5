"""The structure diff between two versions of a DAG (``/ui/diff``)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from dagkeeper.api.schemas.common import MAX_INT32, Strict, query_int

R = {"required": True}
EDGE = fields.List(fields.String(), validate=validate.Length(equal=2))


class DiffQuery(Strict):
    from_ = query_int(1, MAX_INT32, data_key="from")
    to = query_int(
        1, MAX_INT32, metadata={"description": "without `to` or `to_run`: the current version"}
    )
    from_run = fields.String(metadata={"description": "compare the version this run ran with"})
    to_run = fields.String(metadata={"description": "compare the version this run ran with"})

    @validates_schema
    def one_side_each(self, data, **_kwargs):
        for version, run in (("from_", "from_run"), ("to", "to_run")):
            name = "from" if version == "from_" else version
            if version in data and run in data:
                raise ValidationError(f"give {name} or {run}, not both", run)
        if "from_" not in data and "from_run" not in data:
            raise ValidationError("give from (a version number) or from_run", "from")


class ChangedTaskSchema(Strict):
    task_id = fields.String(**R)
    fields = fields.List(fields.String(), **R, metadata={"description": "attributes that differ"})


class TaskDiffSchema(Strict):
    added = fields.List(fields.String(), **R)
    removed = fields.List(fields.String(), **R)
    changed = fields.List(fields.Nested(ChangedTaskSchema), **R)


class EdgeDiffSchema(Strict):
    added = fields.List(EDGE, **R, metadata={"description": "[upstream, downstream]"})
    removed = fields.List(EDGE, **R, metadata={"description": "[upstream, downstream]"})


class DiffSchema(Strict):
    dag_id = fields.String(**R)
    from_version = fields.Integer(**R)
    to_version = fields.Integer(**R)
    tasks = fields.Nested(TaskDiffSchema, **R)
    edges = fields.Nested(EdgeDiffSchema, **R)
    dag_fields = fields.List(
        fields.String(), **R, metadata={"description": "DAG-level attributes that differ"}
    )

"""UI aggregates: one round trip per view."""

from __future__ import annotations

from marshmallow import fields, validate

from dagkeeper.api.schemas.common import MAX_INT32, Strict, nullable, query_int

R = {"required": True}


class StructureQuery(Strict):
    version = query_int(1, MAX_INT32)
    run_id = fields.String(metadata={"description": "the structure the run was created with"})


class NodeSchema(Strict):
    id = fields.String(**R)
    label = fields.String(**R)
    operator = fields.String(**R)
    group = nullable(fields.String)
    trigger_rule = fields.String(**R)
    ui_color = fields.String(**R)
    ui_fgcolor = fields.String(**R)
    role = fields.String(
        allow_none=True,
        validate=validate.OneOf(["setup", "teardown"]),
        metadata={"description": "setup or teardown task; absent in structures stored before"},
    )
    is_mapped = fields.Boolean(
        metadata={"description": "true on a mapped task (one task instance per map index)"}
    )


class ChildSchema(Strict):
    type = fields.String(**R, validate=validate.OneOf(["task", "group"]))
    id = fields.String(**R)


class GroupSchema(Strict):
    id = fields.String(**R)
    label = fields.String(**R)
    parent = nullable(fields.String)
    tooltip = nullable(fields.String)
    ui_color = fields.String(**R)
    ui_fgcolor = fields.String(**R)
    children = fields.List(fields.Nested(ChildSchema), **R)


class StructureBody(Strict):
    dag_id = fields.String(**R)
    nodes = fields.List(fields.Nested(NodeSchema), **R, metadata={"description": "tree order"})
    groups = fields.List(fields.Nested(GroupSchema), **R)
    roots = fields.List(fields.Nested(ChildSchema), **R)
    edges = fields.List(
        fields.List(fields.String(), validate=validate.Length(equal=2)),
        **R,
        metadata={"description": "[upstream, downstream] task ids"},
    )
    edge_labels = fields.List(
        fields.List(fields.String(), validate=validate.Length(equal=3)),
        metadata={"description": "[upstream, downstream, label] of the labelled edges"},
    )


class StructureSchema(Strict):
    dag_id = fields.String(**R)
    version_number = fields.Integer(**R)
    hash = fields.String(**R)
    structure = fields.Nested(StructureBody, **R)


class GridQuery(Strict):
    limit = query_int(1, 1000, load_default=25)
    before = fields.String(metadata={"description": "run_id: only runs older than this one"})
    run_id = fields.String(
        metadata={"description": "only this run, rows in its own version's tree order"}
    )


class GridRunSchema(Strict):
    run_id = fields.String(**R)
    state = fields.String(**R)
    run_type = fields.String(**R)
    logical_date = fields.DateTime(**R)
    start_date = nullable(fields.DateTime)
    end_date = nullable(fields.DateTime)
    version_number = fields.Integer(**R)


class GridSchema(Strict):
    dag_id = fields.String(**R)
    version_number = fields.Integer(**R)
    runs = fields.List(fields.Nested(GridRunSchema), **R, metadata={"description": "oldest first"})
    has_more = fields.Boolean(**R, metadata={"description": "older runs exist"})
    task_ids = fields.List(fields.String(), **R, metadata={"description": "tree order"})
    states = fields.List(
        fields.String(),
        **R,
        metadata={"description": "per task: one character per run, in the order of runs"},
    )
    state_codes = fields.Dict(keys=fields.String(), values=fields.String(), **R)
    mapped = fields.Dict(
        keys=fields.String(),
        values=fields.List(nullable(fields.Dict, keys=fields.String(), values=fields.Integer())),
        **R,
        metadata={
            "description": "per expanded mapped task: per run (null: not expanded), "
            "the number of map indexes in each state"
        },
    )


class ChangesQuery(Strict):
    since = query_int(**R)


class ChangeSchema(Strict):
    dag_id = nullable(fields.String)
    kind = fields.String(**R, validate=validate.OneOf(["dag", "run", "import_error", "asset"]))


class ChangesSchema(Strict):
    token = fields.Integer(**R)
    changes = fields.List(fields.Nested(ChangeSchema), **R)
    truncated = fields.Boolean(**R, metadata={"description": "refetch everything"})

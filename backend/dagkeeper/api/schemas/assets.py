"""Assets and asset events: list filters, the event body, and the response shapes."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates, validates_schema

from dagkeeper.api.schemas.common import (
    MAX_ID_LENGTH,
    MAX_INT32,
    PageQuery,
    Strict,
    UtcDateTime,
    nullable,
    order_by,
    query_int,
    run_id_field,
)  # fmt: skip
from dagkeeper.serialization.assets import URI_LIMIT, extra_problem, uri_problem

R = {"required": True}
ID = validate.Length(1, MAX_ID_LENGTH)


class AssetQuery(PageQuery):
    uri_pattern = fields.String(
        validate=validate.Length(1, URI_LIMIT),
        metadata={"description": "assets whose URI contains this text"},
    )
    order_by = order_by(("uri", "name", "id"), "uri")


class AssetEventQuery(PageQuery):
    asset_id = query_int(1, MAX_INT32)
    source_dag_id = fields.String(validate=ID)
    source_run_id = fields.String(validate=ID)
    source_task_id = fields.String(validate=ID)
    source_map_index = query_int(-1, MAX_INT32)
    timestamp_gte = UtcDateTime()
    timestamp_lte = UtcDateTime()
    order_by = order_by(("timestamp", "id"), "-timestamp")


class AssetEventBody(Strict):
    """Name the asset by ``asset_id`` or by ``uri`` (one of them)."""

    asset_id = fields.Integer(strict=True, validate=validate.Range(1, MAX_INT32))
    uri = fields.String(validate=validate.Length(1, URI_LIMIT))
    extra = fields.Dict(keys=fields.String(), load_default=dict)

    @validates("uri")
    def _uri(self, value: str, **_: Any) -> None:
        problem = uri_problem(value)
        if problem:
            raise ValidationError(problem)

    @validates("extra")
    def _extra(self, value: dict, **_: Any) -> None:
        problem = extra_problem(value)
        if problem:
            raise ValidationError(problem)

    @validates_schema
    def _one_asset(self, data: dict, **_: Any) -> None:
        if ("asset_id" in data) == ("uri" in data):
            raise ValidationError("give asset_id or uri (one of them)", "asset_id")


class AssetEventSchema(Strict):
    id = fields.Integer(**R)
    asset_id = fields.Integer(**R)
    uri = fields.String(**R)
    extra = fields.Dict(**R)
    source_dag_id = nullable(fields.String)
    source_run_id = nullable(run_id_field)
    source_task_id = nullable(fields.String)
    source_map_index = fields.Integer(**R, metadata={"description": "-1: not mapped"})
    source_alias = nullable(fields.String, metadata={"description": "emitted through it"})
    created_by = nullable(fields.String, metadata={"description": "the API caller"})
    timestamp = fields.DateTime(**R)


class AssetEventCollection(Strict):
    asset_events = fields.List(fields.Nested(AssetEventSchema), **R)
    total_entries = fields.Integer(**R)


class ProducingTaskSchema(Strict):
    dag_id = fields.String(**R)
    task_id = fields.String(**R)


class AssetSchema(Strict):
    id = fields.Integer(**R)
    uri = fields.String(**R)
    name = fields.String(**R)
    group = fields.String(**R)
    extra = fields.Dict(**R)
    created_at = fields.DateTime(**R)
    updated_at = fields.DateTime(**R)
    consuming_dags = fields.List(fields.String(), **R, metadata={"description": "schedule on it"})
    producing_tasks = fields.List(fields.Nested(ProducingTaskSchema), **R)
    latest_event = fields.Nested(AssetEventSchema, **R, allow_none=True)


class AssetCollection(Strict):
    assets = fields.List(fields.Nested(AssetSchema), **R)
    total_entries = fields.Integer(**R)


class LineageNodeSchema(Strict):
    id = fields.String(**R, metadata={"description": "dag:<dag_id>, asset:<id> or alias:<id>"})
    kind = fields.String(**R, validate=validate.OneOf(("dag", "asset", "alias")))
    label = fields.String(**R)
    asset_id = nullable(fields.Integer)


class AssetLineageSchema(Strict):
    """DAG -> asset or alias (the DAG produces it), asset or alias -> DAG (the DAG schedules
    on it), alias -> asset (an event for the asset was emitted through the alias)."""

    nodes = fields.List(fields.Nested(LineageNodeSchema), **R)
    edges = fields.List(fields.List(fields.String(), validate=validate.Length(equal=2)), **R)

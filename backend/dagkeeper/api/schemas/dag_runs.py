"""DAG runs: list filters, trigger and state-change bodies, the run object."""

from __future__ import annotations

from marshmallow import fields, validate, validates

from dagkeeper.api.schemas.common import (
    PageQuery,
    Strict,
    UtcDateTime,
    check_conf_size,
    note_field,
    nullable,
    order_by,
    run_id_field,
)  # fmt: skip
from dagkeeper.models import RunState, RunType
from dagkeeper.models.queries import NEWEST_RUN_FIRST, RUN_ORDERINGS

R = {"required": True}


class RunListQuery(PageQuery):
    state = fields.List(fields.String(validate=validate.OneOf(RunState.ALL)))
    run_type = fields.String(validate=validate.OneOf(RunType.ALL))
    logical_date_gte = UtcDateTime()
    logical_date_lte = UtcDateTime()
    order_by = order_by(RUN_ORDERINGS, NEWEST_RUN_FIRST)


class TriggerBody(Strict):
    conf = fields.Dict(
        keys=fields.String(),
        load_default=dict,
        metadata={"description": "at most DAGKEEPER_MAX_CONF_BYTES (64 KiB) as JSON"},
    )
    logical_date = UtcDateTime(metadata={"description": "default: now (UTC)"})
    run_id = run_id_field()
    note = note_field()

    @validates("conf")
    def _conf_size(self, conf: dict, **_kwargs) -> None:
        check_conf_size(conf)


class RunPatch(Strict):
    state = fields.String(**R, validate=validate.OneOf(["success", "failed", "queued"]))


class RunSchema(Strict):
    dag_id = fields.String(**R)
    run_id = fields.String(**R)
    run_type = fields.String(**R)
    state = fields.String(**R)
    logical_date = fields.DateTime(**R)
    data_interval_start = nullable(fields.DateTime)
    data_interval_end = nullable(fields.DateTime)
    queued_at = nullable(fields.DateTime)
    start_date = nullable(fields.DateTime)
    end_date = nullable(fields.DateTime)
    conf = fields.Dict(**R)
    version_number = fields.Integer(**R)
    note = nullable(fields.String)


class RunCollection(Strict):
    dag_runs = fields.List(fields.Nested(RunSchema), **R)
    total_entries = fields.Integer(**R)

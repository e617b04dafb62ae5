"""Backfills: the create (and dry-run) body, the backfill object with its progress."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates, validates_schema

from dagkeeper.api.schemas.common import (
    MAX_ID_LENGTH,
    PageQuery,
    Strict,
    UtcDateTime,
    check_conf_size,
    json_bool,
    nullable,
)  # fmt: skip
from dagkeeper.backfills import MAX_RUNS
from dagkeeper.models import ReprocessBehavior

R = {"required": True}


class BackfillBody(Strict):
    """``POST /api/v1/backfills`` and ``/dry_run`` (the peer's field names)."""

    dag_id = fields.String(**R, validate=validate.Length(1, MAX_ID_LENGTH))
    from_date = UtcDateTime(**R, metadata={"description": "first logical date (inclusive)"})
    to_date = UtcDateTime(**R, metadata={"description": "last logical date (inclusive)"})
    reprocess_behavior = fields.String(
        load_default=ReprocessBehavior.NONE,
        validate=validate.OneOf(ReprocessBehavior.ALL),
        metadata={"description": "dates with a finished run: none keeps them, failed re-runs "
                  "failed ones, completed re-runs all; runs in flight are never touched"},
    )  # fmt: skip
    max_active_runs = fields.Integer(
        load_default=10, strict=True, validate=validate.Range(1, MAX_RUNS)
    )
    run_backwards = json_bool(load_default=False)
    dag_run_conf = fields.Dict(keys=fields.String(), load_default=dict)

    @validates("dag_run_conf")
    def _conf_size(self, conf: dict, **_: Any) -> None:
        check_conf_size(conf)

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data["from_date"] > data["to_date"]:
            raise ValidationError("must not be before from_date", "to_date")


class BackfillQuery(PageQuery):
    dag_id = fields.String(**R, validate=validate.Length(1, MAX_ID_LENGTH))


class BackfillSchema(Strict):
    id = fields.Integer(**R)
    dag_id = fields.String(**R)
    from_date = fields.DateTime(**R)
    to_date = fields.DateTime(**R)
    dag_run_conf = fields.Dict(**R)
    is_paused = fields.Boolean(**R)
    reprocess_behavior = fields.String(**R)
    max_active_runs = fields.Integer(**R)
    run_backwards = fields.Boolean(**R)
    created_by = nullable(fields.String)
    created_at = fields.DateTime(**R)
    completed_at = nullable(fields.DateTime)
    updated_at = fields.DateTime(**R)
    total_runs = fields.Integer(**R)
    run_states = fields.Dict(
        keys=fields.String(), values=fields.Integer(), **R,
        metadata={"description": "how many of its runs are in each state (absent: none)"},
    )  # fmt: skip


class BackfillCollection(Strict):
    backfills = fields.List(fields.Nested(BackfillSchema), **R)
    total_entries = fields.Integer(**R)


class DryRunEntry(Strict):
    logical_date = fields.DateTime(**R)
    data_interval_start = fields.DateTime(**R)
    data_interval_end = fields.DateTime(**R)
    action = fields.String(**R, metadata={"description": "create, or reprocess an existing run"})


class DryRunCollection(Strict):
    backfills = fields.List(fields.Nested(DryRunEntry), **R)
    total_entries = fields.Integer(**R)

"""The home page: component health, the last hours by state, import errors, problem DAGs."""

from __future__ import annotations

from marshmallow import fields, validate

from dagkeeper.api.schemas.common import Strict

R = {"required": True}
COUNTS = {"keys": fields.String(), "values": fields.Integer(), **R}


class HomeQuery(Strict):
    hours = fields.Integer(load_default=24, validate=validate.Range(min=1, max=24 * 30))
    limit = fields.Integer(load_default=5, validate=validate.Range(min=1, max=50))


class ComponentSchema(Strict):
    kind = fields.String(**R, metadata={"description": "processor, scheduler, worker, ..."})
    hostname = fields.String(**R)
    pid = fields.Integer(**R)
    started_at = fields.DateTime(**R)
    last_heartbeat = fields.DateTime(**R)
    healthy = fields.Boolean(**R, metadata={"description": "beat within 3 intervals"})


class RecentImportErrorSchema(Strict):
    filename = fields.String(**R)
    message = fields.String(**R)
    timestamp = fields.DateTime(**R)


class ImportErrorSummarySchema(Strict):
    total = fields.Integer(**R)
    recent = fields.List(fields.Nested(RecentImportErrorSchema), **R)


class DagStatsSchema(Strict):
    dag_id = fields.String(**R)
    runs = fields.Integer(**R, metadata={"description": "finished runs in the window"})
    failed = fields.Integer(**R)
    mean_seconds = fields.Float(**R)


class HomeSchema(Strict):
    now = fields.DateTime(**R)
    hours = fields.Integer(**R)
    heartbeat_interval = fields.Float(**R, metadata={"description": "seconds between beats"})
    components = fields.List(fields.Nested(ComponentSchema), **R)
    expected = fields.List(
        fields.String(), **R,
        metadata={"description": "kinds this deployment needs now, shown as down when unseen"},
    )  # fmt: skip
    runs = fields.Dict(**COUNTS, metadata={"description": "runs in the window by state"})
    task_instances = fields.Dict(**COUNTS, metadata={"description": "their task instances"})
    import_errors = fields.Nested(ImportErrorSummarySchema, **R)
    slowest_dags = fields.List(fields.Nested(DagStatsSchema), **R)
    failing_dags = fields.List(fields.Nested(DagStatsSchema), **R)

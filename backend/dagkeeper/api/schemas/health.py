"""Health of a worker and its database."""

from marshmallow import fields, validate

from dagkeeper.api.schemas.common import Strict, nullable


class HealthSchema(Strict):
    status = fields.String(required=True, validate=validate.OneOf(["ok", "degraded"]))
    database = fields.String(required=True, validate=validate.OneOf(["ok", "unreachable"]))
    token = nullable(fields.Integer, metadata={"description": "the change token"})

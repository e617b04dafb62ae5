"""Slot pools with their occupancy."""

from marshmallow import fields, validate

from dagkeeper.api.schemas.common import PageQuery, Strict, nullable, order_by

R = {"required": True}
NAME = validate.Length(1, 256)
SLOTS = validate.Range(min=0, max=1_000_000)


class PoolQuery(PageQuery):
    order_by = order_by(("name", "slots"), "name")


class PoolSchema(Strict):
    name = fields.String(**R)
    slots = fields.Integer(**R)
    description = nullable(fields.String)
    occupied_slots = fields.Integer(**R, metadata={"description": "running + queued"})
    running_slots = fields.Integer(**R)
    queued_slots = fields.Integer(**R)
    scheduled_slots = fields.Integer(**R, metadata={"description": "asked for, not yet queued"})
    open_slots = fields.Integer(**R)


class PoolCollection(Strict):
    pools = fields.List(fields.Nested(PoolSchema), **R)
    total_entries = fields.Integer(**R)


class PoolBody(Strict):
    name = fields.String(**R, validate=NAME)
    slots = fields.Integer(**R, strict=True, validate=SLOTS)
    description = fields.String(allow_none=True, validate=validate.Length(max=10_000))


class PoolPatch(Strict):
    name = fields.String(validate=NAME, metadata={"description": "renames the pool"})
    slots = fields.Integer(strict=True, validate=SLOTS)
    description = fields.String(allow_none=True, validate=validate.Length(max=10_000))

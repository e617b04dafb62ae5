"""Pieces every resource's schemas share: strictness, paging, ordering, problems."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

MAX_LIMIT = 1000


class Strict(Schema):
    """Unknown fields are an error, in requests and in the responses tests validate."""

    class Meta:
        unknown = RAISE


class PageQuery(Strict):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_LIMIT))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


def order_by(keys: tuple[str, ...], default: str) -> fields.String:
    """An ``order_by`` field accepting each key, optionally prefixed with ``-``."""
    choices = [*keys, *(f"-{key}" for key in keys)]
    return fields.String(load_default=default, validate=validate.OneOf(choices))


def nullable(field_class, *args, **kwargs):
    """A response field that is always present and may be ``null``."""
    return field_class(*args, required=True, allow_none=True, **kwargs)


def json_bool(**kwargs) -> fields.Boolean:
    """A body boolean: JSON true/false only (query strings keep "true"/"1"/...)."""
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


class ProblemSchema(Schema):
    """``application/problem+json`` (RFC 9457)."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "messages per offending field (dotted path)"},
    )

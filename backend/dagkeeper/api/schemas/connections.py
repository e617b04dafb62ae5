"""Connections: the password is write-only; secret-looking extra fields are masked."""

import json

from marshmallow import ValidationError, fields, validate

from dagkeeper.api.schemas.common import PageQuery, Strict, nullable, order_by

R = {"required": True}
CONN_ID = validate.Regexp(r"^[\w.-]{1,250}$", error="use 1-250 letters, digits, '_', '.' or '-'")


def _json_object(text: str | None) -> None:
    if text is None or text == "":
        return
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ValidationError(f"is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ValidationError("must be a JSON object")


class ConnectionQuery(PageQuery):
    order_by = order_by(("connection_id", "conn_type"), "connection_id")


class ConnectionSchema(Strict):
    connection_id = fields.String(**R)
    conn_type = fields.String(**R)
    description = nullable(fields.String)
    host = nullable(fields.String)
    login = nullable(fields.String)
    schema = nullable(fields.String)
    port = nullable(fields.Integer)
    extra = nullable(fields.String, metadata={"description": "JSON; secret-looking keys ***"})
    has_password = fields.Boolean(**R, metadata={"description": "the password is never sent"})


class ConnectionCollection(Strict):
    connections = fields.List(fields.Nested(ConnectionSchema), **R)
    total_entries = fields.Integer(**R)


class _ConnectionFields(Strict):
    conn_type = fields.String(validate=validate.Length(1, 500))
    description = fields.String(allow_none=True, validate=validate.Length(max=10_000))
    host = fields.String(allow_none=True, validate=validate.Length(max=500))
    login = fields.String(allow_none=True, validate=validate.Length(max=10_000))
    schema = fields.String(allow_none=True, validate=validate.Length(max=500))
    port = fields.Integer(allow_none=True, strict=True, validate=validate.Range(0, 65535))
    password = fields.String(allow_none=True, validate=validate.Length(max=10_000))
    extra = fields.String(allow_none=True, validate=_json_object)


class ConnectionBody(_ConnectionFields):
    connection_id = fields.String(**R, validate=CONN_ID)
    conn_type = fields.String(**R, validate=validate.Length(1, 500))


class ConnectionPatch(_ConnectionFields):
    connection_id = fields.String(
        validate=CONN_ID, metadata={"description": "must equal the path's id"}
    )

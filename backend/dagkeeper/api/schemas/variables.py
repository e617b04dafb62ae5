"""Variables: key, value (masked for secret-looking keys) and description."""

from marshmallow import fields, validate

from dagkeeper.api.schemas.common import PageQuery, Strict, nullable, order_by

R = {"required": True}
KEY = validate.Length(1, 250)
VALUE = validate.Length(max=1_000_000)


class VariableQuery(PageQuery):
    order_by = order_by(("key",), "key")


class VariableSchema(Strict):
    key = fields.String(**R)
    value = fields.String(**R, metadata={"description": "*** when the key looks secret"})
    description = nullable(fields.String)
    read_at_parse_by = fields.List(
        fields.String(), **R, metadata={"description": "DAG files that read it when last parsed"}
    )


class VariableCollection(Strict):
    variables = fields.List(fields.Nested(VariableSchema), **R)
    total_entries = fields.Integer(**R)


class VariableBody(Strict):
    key = fields.String(**R, validate=KEY)
    value = fields.String(**R, validate=VALUE)
    description = fields.String(allow_none=True, validate=validate.Length(max=10_000))


class VariablePatch(Strict):
    key = fields.String(validate=KEY, metadata={"description": "must equal the path's key"})
    value = fields.String(validate=VALUE)
    description = fields.String(allow_none=True, validate=validate.Length(max=10_000))

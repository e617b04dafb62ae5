"""Import errors: files whose last parse failed."""

from marshmallow import fields

from dagkeeper.api.schemas.common import PageQuery, Strict, order_by

ORDERINGS = ("import_error_id", "filename", "timestamp")


class ImportErrorQuery(PageQuery):
    order_by = order_by(ORDERINGS, "-timestamp")


class ImportErrorSchema(Strict):
    import_error_id = fields.Integer(required=True)
    filename = fields.String(required=True)
    message = fields.String(required=True)
    stack_trace = fields.String(required=True)
    timestamp = fields.DateTime(required=True)


class ImportErrorCollection(Strict):
    import_errors = fields.List(fields.Nested(ImportErrorSchema), required=True)
    total_entries = fields.Integer(required=True)

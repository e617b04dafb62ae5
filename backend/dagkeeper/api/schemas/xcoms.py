"""XCom entries of a task instance; values are bounded and secret-looking keys masked."""

from marshmallow import fields

from dagkeeper.api.schemas.common import PageQuery, Strict
from dagkeeper.api.schemas.task_instances import map_index_field

R = {"required": True}


class XComPageQuery(PageQuery):
    map_index = map_index_field()


class XComQuery(Strict):
    map_index = map_index_field()


class XComSchema(Strict):
    dag_id = fields.String(**R)
    run_id = fields.String(**R)
    task_id = fields.String(**R)
    map_index = fields.Integer(**R)
    key = fields.String(**R)
    timestamp = fields.DateTime(**R)
    value = fields.Raw(
        **R, allow_none=True,
        metadata={"description": "the JSON value; a string cut to size when truncated"},
    )  # fmt: skip
    truncated = fields.Boolean(**R, metadata={"description": "the value was too big to send"})


class XComCollection(Strict):
    xcom_entries = fields.List(fields.Nested(XComSchema), **R)
    total_entries = fields.Integer(**R)

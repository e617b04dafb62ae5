"""Operations on DAG metadata: delete a DAG's rows, ask for a file to be parsed again."""

from __future__ import annotations

from marshmallow import fields, validate

from dagkeeper.api.schemas.common import Strict

R = {"required": True}


class ParseRequestBody(Strict):
    fileloc = fields.String(
        **R,
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "the file, relative to the DAG folder, as the API lists it"},
    )


class ParseRequestSchema(Strict):
    fileloc = fields.String(**R)
    requested_at = fields.DateTime(**R)


class DeletedDagSchema(Strict):
    dag_id = fields.String(**R)
    deleted_runs = fields.Integer(**R)
    deleted_versions = fields.Integer(**R)

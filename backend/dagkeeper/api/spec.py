"""The flask-smorest ``Api``: request parsing and the OpenAPI document from our schemas.

Two things differ from flask-smorest's defaults: every request location
rejects unknown fields with a 400 (not a silent drop, not a 422), and errors
are documented and rendered as problem+json by :mod:`dagkeeper.api.errors`.
"""

from __future__ import annotations

import flask_smorest
from flask_smorest import Api
from marshmallow import RAISE
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from dagkeeper.api import errors, strict_json
from dagkeeper.api.schemas.common import ProblemSchema

API_PREFIX = "/api/v1"


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = dict.fromkeys(FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, RAISE)
    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req):
        """Bodies are strict JSON (:mod:`dagkeeper.api.strict_json`); an empty one is missing."""
        if not is_json_request(req):
            return core.missing
        data = req.get_data(cache=True)
        return strict_json.load_or_400(data) if data.strip() else core.missing


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with the strict parser; every API blueprint uses it."""

    ARGUMENTS_PARSER = StrictParser()


class DagkeeperApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        errors.register(self._app)


SPEC_CONFIG = {
    "API_TITLE": "dagkeeper",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": API_PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "dagkeeper's web API: answered from the database alone by any worker."
        }
    },
}

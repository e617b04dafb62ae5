"""The flask-smorest ``Api``: request parsing and the OpenAPI document from our schemas.

Three things differ from flask-smorest's defaults: every request location
rejects unknown fields with a 400 (not a silent drop, not a 422), errors are
documented and rendered as problem+json by :mod:`dagkeeper.api.errors`, and
every operation documents who may call it (security schemes, the minimum role,
401 and 403) from the same marks the request guard enforces.
Every operation documents each problem status it can really answer with
(400 bad input or Host, 404 for a path naming something, 413/415 for a body,
503 when the database is unreachable), so a client generated from the
document, and schemathesis, know them all.
"""

from __future__ import annotations

from http import HTTPStatus

import flask_smorest
from apispec import BasePlugin
from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import RAISE
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from dagkeeper.accounts.sessions import COOKIE_NAME
from dagkeeper.api import errors, strict_json
from dagkeeper.api.auth.guard import PUBLIC, role_of
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


class ProblemResponses(BasePlugin):
    """Adds the problem responses every operation can give to its documented responses."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for operation in (operations or {}).values():
            statuses = [HTTPStatus.BAD_REQUEST, HTTPStatus.SERVICE_UNAVAILABLE]
            if "{" in (path or ""):
                statuses.append(HTTPStatus.NOT_FOUND)
            if "requestBody" in operation:
                statuses += [HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.UNSUPPORTED_MEDIA_TYPE]
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(str(status.value), status.name)


SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "a token from POST /auth/token or a personal token (/api/v1/tokens)",
    },
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": COOKIE_NAME,
        "description": "set by POST /auth/login (browsers)",
    },
}
PROBLEM = {"$ref": "#/components/responses/DEFAULT_ERROR"}


class SecurityPlugin(BasePlugin):
    """Per operation: its minimum role, its security (none when public), 401 and 403."""

    def __init__(self, app: Flask):
        self.app = app

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is None or operations is None:
            return
        view = self.app.view_functions[rule.endpoint]
        for method, operation in operations.items():
            role = role_of(view, rule.endpoint, method.upper())
            if role == PUBLIC:
                operation["security"] = []
                continue
            operation["x-required-role"] = role
            responses = operation.setdefault("responses", {})
            responses.setdefault("401", {**PROBLEM, "description": "not logged in"})
            responses.setdefault("403", {**PROBLEM, "description": f"needs the {role} role"})


class DagkeeperApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app: Flask):
        plugins = [ProblemResponses(), SecurityPlugin(app)]
        super().__init__(app, spec_kwargs={"extra_plugins": plugins})
        for name, scheme in SECURITY_SCHEMES.items():
            self.spec.components.security_scheme(name, scheme)

    def _register_responses(self):
        """flask-smorest's per-status responses, documented as problem+json (what is sent)."""
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, errors.PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, errors.PROBLEM_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def _register_error_handlers(self):
        errors.register(self._app)


SPEC_CONFIG = {
    "API_TITLE": "dagkeeper",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": API_PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "info": {
            "description": "dagkeeper's web API: answered from the database alone by any worker."
        },
    },
}

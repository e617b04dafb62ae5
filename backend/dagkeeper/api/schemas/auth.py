"""Login, tokens, users and the audit log: request bodies and response shapes."""

from __future__ import annotations

from marshmallow import fields, validate

from dagkeeper.api.schemas.common import PageQuery, Strict, nullable, order_by
from dagkeeper.models import Outcome, Role

R = {"required": True}
NAME = validate.Length(1, 100)
ROLE = validate.OneOf(Role.ORDER)
TEAMS = fields.List(fields.String(validate=NAME), validate=validate.Length(max=100))


class Credentials(Strict):
    username = fields.String(**R, validate=NAME)
    password = fields.String(**R, validate=validate.Length(1, 1024))


class AccessToken(Strict):
    access_token = fields.String(**R)
    token_type = fields.String(**R)
    expires_in = fields.Integer(**R, metadata={"description": "seconds"})


class Me(Strict):
    username = fields.String(**R)
    role = fields.String(**R, validate=ROLE)
    teams = fields.List(fields.String(), **R)
    via = fields.String(**R, metadata={"description": "session, token, or open (auth off)"})


class UserSchema(Strict):
    username = fields.String(**R)
    role = fields.String(**R, validate=ROLE)
    teams = fields.List(fields.String(), **R)
    has_password = fields.Boolean(**R)
    created_at = fields.DateTime(**R)
    last_login_at = nullable(fields.DateTime)


class UserCollection(Strict):
    users = fields.List(fields.Nested(UserSchema), **R)
    total_entries = fields.Integer(**R)


class UserBody(Strict):
    username = fields.String(**R, validate=NAME)
    role = fields.String(**R, validate=ROLE)
    password = fields.String(validate=validate.Length(8, 1024), metadata={
        "description": "omit for a user that only uses API tokens"})  # fmt: skip
    teams = TEAMS


class UserPatch(Strict):
    role = fields.String(validate=ROLE)
    password = fields.String(validate=validate.Length(8, 1024))
    teams = TEAMS


class TokenBody(Strict):
    name = fields.String(**R, validate=NAME)
    expires_in_days = fields.Integer(validate=validate.Range(1, 3650), metadata={
        "description": "omit for a token that lasts until revoked"})  # fmt: skip
    username = fields.String(validate=NAME, metadata={"description": "admins only: whose token"})


class TokenListQuery(Strict):
    username = fields.String(validate=NAME, metadata={"description": "admins only"})
    all = fields.Boolean(load_default=False, metadata={"description": "admins only: everyone's"})


class TokenSchema(Strict):
    id = fields.Integer(**R)
    name = fields.String(**R)
    username = fields.String(**R)
    prefix = fields.String(**R, metadata={"description": "the token's first characters"})
    created_at = fields.DateTime(**R)
    expires_at = nullable(fields.DateTime)
    last_used_at = nullable(fields.DateTime)


class NewToken(TokenSchema):
    token = fields.String(**R, metadata={"description": "shown once; store it now"})


class TokenCollection(Strict):
    tokens = fields.List(fields.Nested(TokenSchema), **R)
    total_entries = fields.Integer(**R)


EVENT_ORDERINGS = ("at", "event", "username")
OUTCOMES = (Outcome.SUCCESS, Outcome.FAILED, Outcome.DENIED)


class EventLogQuery(PageQuery):
    username = fields.String(validate=NAME)
    event = fields.String(validate=validate.Length(1, 50))
    dag_id = fields.String(validate=validate.Length(1, 250))
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    after = fields.AwareDateTime()
    before = fields.AwareDateTime()
    order_by = order_by(EVENT_ORDERINGS, "-at")


class EventLogSchema(Strict):
    id = fields.Integer(**R)
    at = fields.DateTime(**R)
    username = nullable(fields.String)
    event = fields.String(**R)
    outcome = fields.String(**R)
    dag_id = nullable(fields.String)
    target = nullable(fields.String)
    address = nullable(fields.String)
    detail = nullable(fields.Dict)


class EventLogCollection(Strict):
    event_logs = fields.List(fields.Nested(EventLogSchema), **R)
    total_entries = fields.Integer(**R)

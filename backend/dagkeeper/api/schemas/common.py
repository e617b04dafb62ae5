"""Pieces every resource's schemas share: strictness, bounded values, paging, problems.

Every integer a client sends is bounded by the column it is compared with
(2**63 for 64-bit ones, 2**31 for 32-bit ones such as version numbers): a
larger value must be a 400, not a driver error on PostgreSQL; every date
is converted to UTC here (an offset that overflows is a 400), and run ids follow
one documented pattern.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from dagkeeper.config import load_settings

MAX_LIMIT = 1000
MAX_INT = 2**63 - 1
MAX_INT32 = 2**31 - 1  # version and try numbers, log offsets: 32-bit columns
# Dates outside these bounds are refused: schedule arithmetic near year 1 or
# 9999 overflows Python's datetime.
EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
RUN_ID_PATTERN = r"^[A-Za-z0-9_.~:+-]+$"
MAX_ID_LENGTH = 250


class Strict(Schema):
    """Unknown fields are an error, in requests and in the responses tests validate."""

    class Meta:
        unknown = RAISE


def query_int(minimum: int = 0, maximum: int = MAX_INT, **kwargs) -> fields.Integer:
    """A query-string integer (always text, so not ``strict``) in ``[minimum, maximum]``."""
    return fields.Integer(validate=validate.Range(min=minimum, max=maximum), **kwargs)


class UtcDateTime(fields.AwareDateTime):
    """An ISO-8601 date with an offset, returned in UTC, between years 1000 and 9000."""

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        parsed = super()._deserialize(value, attr, data, **kwargs)
        try:
            utc = parsed.astimezone(UTC)
        except OverflowError:
            raise ValidationError("is out of range once converted to UTC") from None
        if not EARLIEST <= utc < LATEST:
            raise ValidationError(
                f"must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}"
            )
        return utc


def run_id_field(**kwargs) -> fields.String:
    return fields.String(
        validate=[
            validate.Length(1, MAX_ID_LENGTH),
            validate.Regexp(RUN_ID_PATTERN, error="may contain only A-Z a-z 0-9 _ . ~ : + -"),
        ],
        **kwargs,
    )


def id_list(max_items: int, **kwargs) -> fields.List:
    """A list of ids in a body: 1 to ``max_items`` strings of at most 250 characters."""
    return fields.List(
        fields.String(validate=validate.Length(1, MAX_ID_LENGTH)),
        validate=validate.Length(1, max_items),
        **kwargs,
    )


def check_conf_size(conf: dict) -> None:
    """A run ``conf`` of at most DAGKEEPER_MAX_CONF_BYTES encoded as JSON."""
    limit = load_settings().max_conf_bytes
    if len(json.dumps(conf, ensure_ascii=False).encode()) > limit:
        raise ValidationError(f"is over {limit} bytes as JSON")


class PageQuery(Strict):
    limit = query_int(1, MAX_LIMIT, load_default=100)
    offset = query_int(load_default=0)


def order_by(keys: tuple[str, ...], default: str) -> fields.String:
    """An ``order_by`` field accepting each key, optionally prefixed with ``-``."""
    choices = [*keys, *(f"-{key}" for key in keys)]
    return fields.String(load_default=default, validate=validate.OneOf(choices))


def nullable(field_class, *args, **kwargs):
    """A response field that is always present and may be ``null``."""
    return field_class(*args, required=True, allow_none=True, **kwargs)


class JsonBool(fields.Boolean):
    """A body boolean: JSON true/false only (``1 in {True}`` holds in Python, so check the type)."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def json_bool(**kwargs) -> fields.Boolean:
    """A body boolean (query strings keep "true"/"1"/... through ``fields.Boolean``)."""
    return JsonBool(**kwargs)


MAX_NOTE_CHARS = 1000
# Line breaks and tabs belong in a note; other control characters only garble the drawers.
_NOTE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _no_controls(value: str) -> None:
    if _NOTE_CONTROLS.search(value):
        raise ValidationError("control characters are not allowed (line breaks and tabs are)")


def note_field(**kwargs) -> fields.String:
    """A run's or task instance's note: at most 1,000 characters; ``null`` clears it."""
    return fields.String(
        allow_none=True,
        validate=[validate.Length(max=MAX_NOTE_CHARS), _no_controls],
        **kwargs,
    )


class NoteBody(Strict):
    """``PATCH .../setNote``."""

    note = note_field(required=True, metadata={"description": "null clears the note"})


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

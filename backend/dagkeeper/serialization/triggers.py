"""What a deferred task may wait for, as data: a trigger ``kind`` and its checked ``args``.

The runner writes a trigger only through :func:`encode` and the triggerer
reads it only through :func:`decode`, so a stored trigger is always one of
the kinds below with valid arguments, and no process imports a class named
in the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate


class TriggerError(ValueError):
    """A trigger that is not one of the known kinds or has bad arguments."""


class _DateTimeArgs(Schema):
    """Fires at ``moment`` (aware, ISO-8601)."""

    class Meta:
        unknown = RAISE

    moment = fields.AwareDateTime(required=True)
    timeout_at = fields.AwareDateTime(load_default=None, allow_none=True)  # then: a timeout event


class _FileArgs(Schema):
    """Fires once a file (or glob match) exists at ``filepath``; looks every ``poke_interval`` s."""

    class Meta:
        unknown = RAISE

    filepath = fields.String(required=True, validate=validate.Length(1, 4096))
    recursive = fields.Boolean(load_default=False)
    poke_interval = fields.Float(load_default=5.0, validate=validate.Range(0.01, 86400.0))
    timeout_at = fields.AwareDateTime(load_default=None, allow_none=True)  # then: a timeout event


KINDS: dict[str, type[Schema]] = {"datetime": _DateTimeArgs, "file": _FileArgs}


@dataclass(frozen=True)
class TriggerSpec:
    kind: str
    args: dict[str, Any]  # loaded: ``moment`` is a datetime


def _load(kind: str, args: Any) -> TriggerSpec:
    schema = KINDS.get(kind)
    if schema is None:
        raise TriggerError(f"unknown trigger kind {kind!r}; known kinds: {', '.join(KINDS)}")
    try:
        return TriggerSpec(kind, schema().load(args))
    except ValidationError as error:
        raise TriggerError(f"bad {kind} trigger arguments: {error.messages}") from None


def encode(kind: str, args: dict[str, Any]) -> str:
    """The stored JSON of a trigger's arguments, after checking them."""
    dumped = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in args.items()}
    _load(kind, dumped)
    return json.dumps(dumped, sort_keys=True)


def decode(kind: str, text: str) -> TriggerSpec:
    """A stored trigger, checked again (a row may have been written by anything)."""
    try:
        args = json.loads(text)
    except ValueError:
        raise TriggerError("trigger arguments are not JSON") from None
    return _load(kind, args)

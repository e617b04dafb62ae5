"""Assets in the stored document: their checks, and the maths of asset conditions.

A reference is ``{"type": "asset", "uri", "name", "group", "extra"}`` or
``{"type": "alias", "name"}``; a DAG's ``asset_condition`` is a reference or
``{"type": "all" | "any", "objects": [...]}``. The processor, the scheduler,
the runner and the web API all read these dicts with the functions here, so
the rules (what a URI may be, when a condition holds) live in one place.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Set
from typing import Any
from urllib.parse import urlsplit

from marshmallow import RAISE, Schema, ValidationError, fields, validate

URI_LIMIT = 1500
EXTRA_LIMIT = 65_536  # bytes of JSON an asset's or an event's extra may take
RESERVED_SCHEMES = ("airflow", "dagkeeper")


def uri_problem(uri: Any) -> str | None:
    """What is wrong with an asset URI (the peer's rules, scheme required); None when fine."""
    if not isinstance(uri, str) or not uri.strip():
        return "must be a non-empty string"
    if len(uri) > URI_LIMIT:
        return f"must be at most {URI_LIMIT} characters"
    if not uri.isascii() or any(c.isspace() for c in uri):
        return "must be ASCII without whitespace"
    try:
        parts = urlsplit(uri)
    except ValueError as exc:
        return f"is not a URI ({exc})"
    if not parts.scheme or "://" not in uri:
        return "needs a scheme, as in s3://bucket/key or file:///path"
    if parts.scheme.lower() in RESERVED_SCHEMES:
        return f"the scheme {parts.scheme!r} is reserved"
    if "@" in parts.netloc:
        return "must not contain credentials (user or password)"
    return None


def extra_problem(extra: Any) -> str | None:
    """What is wrong with an ``extra`` (a JSON object of bounded size); None when fine."""
    if not isinstance(extra, dict):
        return "must be a JSON object"
    try:
        text = json.dumps(extra, allow_nan=False)
    except (TypeError, ValueError) as exc:
        return f"must be JSON ({exc})"
    if len(text.encode()) > EXTRA_LIMIT:
        return f"must be at most {EXTRA_LIMIT} bytes of JSON"
    return None


def _check(problem: str | None) -> None:
    if problem:
        raise ValidationError(problem)


class AssetRefSchema(Schema):
    class Meta:
        unknown = RAISE

    type = fields.String(required=True, validate=validate.OneOf(("asset", "alias")))
    uri = fields.String(validate=lambda v: _check(uri_problem(v)))
    name = fields.String(required=True, validate=validate.Length(1, URI_LIMIT))
    group = fields.String(validate=validate.Length(1, URI_LIMIT))
    extra = fields.Raw(validate=lambda v: _check(extra_problem(v)))


_REF = AssetRefSchema()


def check_condition(value: Any) -> None:
    """Validate an ``asset_condition`` tree (raises ``ValidationError``)."""
    if not isinstance(value, dict):
        raise ValidationError("must be an object")
    if value.get("type") in ("all", "any"):
        if set(value) != {"type", "objects"} or not isinstance(value["objects"], list):
            raise ValidationError("an all/any condition has exactly type and objects")
        if not value["objects"]:
            raise ValidationError("an all/any condition needs objects")
        for item in value["objects"]:
            check_condition(item)
        return
    check_reference(value)


def check_reference(value: Any) -> None:
    errors = _REF.validate(value) if isinstance(value, dict) else {"_schema": ["not an object"]}
    if not errors and value["type"] == "asset" and "uri" not in value:
        errors = {"uri": ["an asset needs a uri"]}
    if errors:
        raise ValidationError(errors)


def references(condition: Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    """Every asset and alias reference of a condition, depth first."""
    if condition is None:
        return
    if condition["type"] in ("all", "any"):
        for item in condition["objects"]:
            yield from references(item)
    else:
        yield condition


def satisfied(
    condition: Mapping[str, Any], updated: Set[str], alias_assets: Mapping[str, Set[str]]
) -> bool:
    """Whether ``condition`` holds when the URIs in ``updated`` have queued events.

    An alias holds when any asset it resolved to (``alias_assets``) was updated.
    """
    kind = condition["type"]
    if kind == "asset":
        return condition["uri"] in updated
    if kind == "alias":
        return bool(alias_assets.get(condition["name"], set()) & updated)
    parts = (satisfied(item, updated, alias_assets) for item in condition["objects"])
    return all(parts) if kind == "all" else any(parts)


SUMMARY_LIMIT = 250  # the dag row's schedule_summary column


def describe(condition: Mapping[str, Any], time_summary: str | None = None) -> str:
    """What the DAG list shows as the schedule: "On assets: a & (b | alias c)", plus the time part."""

    def text(node: Mapping[str, Any], top: bool) -> str:
        if node["type"] == "asset":
            return str(node["uri"])
        if node["type"] == "alias":
            return f"alias {node['name']}"
        joined = (" & " if node["type"] == "all" else " | ").join(
            text(item, False) for item in node["objects"]
        )
        return joined if top or len(node["objects"]) == 1 else f"({joined})"

    summary = f"On assets: {text(condition, True)}"
    if time_summary is not None:
        summary = f"{time_summary}, or {summary[0].lower()}{summary[1:]}"
    return summary if len(summary) <= SUMMARY_LIMIT else summary[: SUMMARY_LIMIT - 1] + "…"

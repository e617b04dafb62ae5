"""Whether a value satisfies a param as stored in a document: one check for both times.

The authoring API checks a param's default when a DAG is defined; the web API
checks a trigger's ``conf`` against the stored params (:func:`conf_errors`).
Both call :func:`param_problems`, so the two can never disagree on what a
param accepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list, tuple),
    "object": (dict,),
    "null": (type(None),),
}


def _type_ok(value: Any, expected: str) -> bool:
    if isinstance(value, bool) and expected in ("integer", "number"):
        return False
    return isinstance(value, TYPES[expected])


def _email(text: str) -> None:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise ValueError(text)


# The ``format`` keywords a trigger form offers an input for: parser and what to say.
FORMATS = {
    "date": (date.fromisoformat, "a date (YYYY-MM-DD)"),
    "date-time": (datetime.fromisoformat, "a date and time (ISO 8601)"),
    "time": (time.fromisoformat, "a time (HH:MM or HH:MM:SS)"),
    "email": (_email, "an email address"),
}


def _format_ok(value: Any, name: str | None) -> bool:
    if not isinstance(value, str) or name not in FORMATS:
        return True
    try:
        FORMATS[name][0](value)
    except ValueError:
        return False
    return True


def param_problems(value: Any, param: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """``(rule, limit)`` for every rule of ``param`` that ``value`` breaks.

    Rules are ``type`` (one name or a list, as in JSON schema), ``format``,
    ``enum``, ``minimum`` and ``maximum``; a value of the wrong type is only
    reported as such, and nothing else applies to an allowed null.
    """
    expected = param.get("type")
    allowed = expected if isinstance(expected, list) else [expected] if expected else []
    if allowed and not any(_type_ok(value, name) for name in allowed):
        return [("type", " or ".join(allowed))]
    if value is None:
        return []
    problems: list[tuple[str, Any]] = []
    if not _format_ok(value, param.get("format")):
        problems.append(("format", FORMATS[param["format"]][1]))
    if param.get("enum") is not None and value not in param["enum"]:
        problems.append(("enum", param["enum"]))
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and param.get("minimum") is not None and value < param["minimum"]:
        problems.append(("minimum", param["minimum"]))
    if is_number and param.get("maximum") is not None and value > param["maximum"]:
        problems.append(("maximum", param["maximum"]))
    return problems


CONF_MESSAGES = {
    "type": "must be of type {}",
    "format": "must be {}",
    "enum": "must be one of {}",
    "minimum": "must be at least {}",
    "maximum": "must be at most {}",
}


def conf_errors(
    conf: Mapping[str, Any], params: Mapping[str, Mapping[str, Any]]
) -> dict[str, list[str]]:
    """A run ``conf`` checked against stored params, worded per ``conf.<param>`` key.

    Adds required-without-default to :func:`param_problems`. Keys the DAG does not
    declare pass through, as in Airflow; defaults are not merged here (the runner
    merges them). The API, the CLI and tasks triggering other DAGs all use it.
    """
    errors: dict[str, list[str]] = {}
    for name, param in params.items():
        if name in conf:
            problems = [
                CONF_MESSAGES[rule].format(limit)
                for rule, limit in param_problems(conf[name], param)
            ]
        elif param.get("required") and param.get("default") is None:
            problems = ["is required and has no default"]
        else:
            problems = []
        if problems:
            errors[f"conf.{name}"] = problems
    return errors

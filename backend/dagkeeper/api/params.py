"""Validate a trigger's ``conf`` against the DAG's stored params (no DAG file needed).

Checks type (one or a list), format, enum, minimum/maximum and required-without-default, returning
messages keyed ``conf.<param>``. Keys the DAG does not declare pass through,
as in Airflow; defaults are not merged here (the runner merges them).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
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


# The ``format`` keywords the trigger form offers an input for: parser and what to say.
FORMATS = {
    "date": (date.fromisoformat, "a date (YYYY-MM-DD)"),
    "date-time": (datetime.fromisoformat, "a date and time (ISO 8601)"),
    "time": (time.fromisoformat, "a time (HH:MM or HH:MM:SS)"),
    "email": (_email, "an email address"),
}


def _format_problem(value: Any, name: str) -> str | None:
    if not isinstance(value, str) or name not in FORMATS:
        return None
    parse, hint = FORMATS[name]
    try:
        parse(value)
    except ValueError:
        return f"must be {hint}"
    return None


def _problems(value: Any, param: dict[str, Any]) -> list[str]:
    expected = param.get("type")
    allowed = expected if isinstance(expected, list) else [expected] if expected else []
    if allowed and not any(_type_ok(value, name) for name in allowed):
        return [f"must be of type {' or '.join(allowed)}"]
    if value is None:  # a type list with "null" allows it; nothing else applies to null
        return []
    problems = []
    problem = _format_problem(value, param.get("format"))
    if problem:
        problems.append(problem)
    if param.get("enum") is not None and value not in param["enum"]:
        problems.append(f"must be one of {param['enum']}")
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and param.get("minimum") is not None and value < param["minimum"]:
        problems.append(f"must be at least {param['minimum']}")
    if is_number and param.get("maximum") is not None and value > param["maximum"]:
        problems.append(f"must be at most {param['maximum']}")
    return problems


def validate_conf(conf: dict[str, Any], params: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, param in params.items():
        if name in conf:
            problems = _problems(conf[name], param)
        elif param.get("required") and param.get("default") is None:
            problems = ["is required and has no default"]
        else:
            problems = []
        if problems:
            errors[f"conf.{name}"] = problems
    return errors

"""Validate a trigger's ``conf`` against the DAG's stored params (no DAG file needed).

Checks type, enum, minimum/maximum and required-without-default, returning
messages keyed ``conf.<param>``. Keys the DAG does not declare pass through,
as in Airflow; defaults are not merged here (the runner merges them).
"""

from __future__ import annotations

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


def _problems(value: Any, param: dict[str, Any]) -> list[str]:
    expected = param.get("type")
    if expected and not _type_ok(value, expected):
        return [f"must be of type {expected}"]
    problems = []
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

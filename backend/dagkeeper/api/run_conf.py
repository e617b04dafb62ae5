"""Validate a trigger's run ``conf`` against the DAG's stored params (no DAG file needed).

The rules (type or type list, format, enum, minimum/maximum) are serialization's one param check;
this adds required-without-default and words messages keyed ``conf.<param>``.
Keys the DAG does not declare pass through, as in Airflow; defaults are not
merged here (the runner merges them).
"""

from __future__ import annotations

from typing import Any

from dagkeeper.serialization.params import param_problems

MESSAGES = {
    "type": "must be of type {}",
    "format": "must be {}",
    "enum": "must be one of {}",
    "minimum": "must be at least {}",
    "maximum": "must be at most {}",
}


def validate_conf(conf: dict[str, Any], params: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, param in params.items():
        if name in conf:
            problems = [
                MESSAGES[rule].format(limit) for rule, limit in param_problems(conf[name], param)
            ]
        elif param.get("required") and param.get("default") is None:
            problems = ["is required and has no default"]
        else:
            problems = []
        if problems:
            errors[f"conf.{name}"] = problems
    return errors

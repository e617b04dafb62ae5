"""Whether a value satisfies a param as stored in a document: one check for both times.

The authoring API checks a param's default when a DAG is defined; the web API
checks a trigger's ``conf`` against the stored params. Both call
:func:`param_problems`, so the two can never disagree on what a param accepts;
each words the problems for its reader.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def param_problems(value: Any, param: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """``(rule, limit)`` for every rule of ``param`` that ``value`` breaks.

    Rules are ``type``, ``enum``, ``minimum`` and ``maximum``; a value of the
    wrong type is only reported as such.
    """
    expected = param.get("type")
    if expected and not _type_ok(value, expected):
        return [("type", expected)]
    problems: list[tuple[str, Any]] = []
    if param.get("enum") is not None and value not in param["enum"]:
        problems.append(("enum", param["enum"]))
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and param.get("minimum") is not None and value < param["minimum"]:
        problems.append(("minimum", param["minimum"]))
    if is_number and param.get("maximum") is not None and value > param["maximum"]:
        problems.append(("maximum", param["maximum"]))
    return problems

"""Request bodies are parsed as strict JSON, so nothing stored can break a later response.

Python's ``json`` module accepts more than JSON: ``NaN`` and ``Infinity``,
lone surrogates (``"\\ud800"``, which no UTF-8 encoder can write back),
numbers that overflow to infinity, integers of any size (or a ``ValueError``
past 4,300 digits) and nesting deep enough to exhaust the stack. Each of those
once got in or caused a 500. Here each is a 400 naming the offending place,
and so are NUL characters (PostgreSQL text cannot hold them).
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

from dagkeeper.api.errors import abort

MAX_DEPTH = 32
MAX_INT_DIGITS = 20
INT_RANGE = (-(2**63), 2**63 - 1)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class StrictJSONError(ValueError):
    def __init__(self, where: str, message: str):
        super().__init__(message)
        self.where = where


class _Invalid:
    """A value the parser met but must refuse; the walk reports where it sits."""

    def __init__(self, message: str):
        self.message = message


def _constant(name: str) -> _Invalid:
    return _Invalid(f"{name} is not JSON")


def _int(text: str) -> int | _Invalid:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return _Invalid("the integer has too many digits")
    value = int(text)
    if not INT_RANGE[0] <= value <= INT_RANGE[1]:
        return _Invalid("integers must fit in 64 bits")
    return value


def _float(text: str) -> float | _Invalid:
    value = float(text)
    if not math.isfinite(value):
        return _Invalid(f"the number {text[:40]} is out of range")
    return value


def _depth(text: str) -> int:
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(_DEPTH_STEP[c] for c in brackets), default=0)


def _check_text(value: str, where: str) -> None:
    if "\x00" in value:
        raise StrictJSONError(where, "NUL characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise StrictJSONError(where, "contains a lone surrogate (not valid Unicode)") from None


def _check_values(value: Any, where: str) -> None:
    if isinstance(value, _Invalid):
        raise StrictJSONError(where, value.message)
    if isinstance(value, str):
        _check_text(value, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, where)
            _check_values(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_values(item, f"{where}.{index}")


def loads(data: bytes | str) -> Any:
    """Parse strict JSON or raise :class:`StrictJSONError` saying where and why."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise StrictJSONError("body", "is not UTF-8") from None
    if _depth(text) > MAX_DEPTH:
        raise StrictJSONError("body", f"nests deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(text, parse_constant=_constant, parse_int=_int, parse_float=_float)
    except StrictJSONError:
        raise
    except (ValueError, RecursionError) as exc:
        raise StrictJSONError("body", f"is not valid JSON: {exc}") from None
    if isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, "body")
            _check_values(item, key)
    else:
        _check_values(value, "body")
    return value


def load_or_400(data: bytes) -> Any:
    """The body's JSON, or a 400 problem naming the field that is not strict JSON."""
    try:
        return loads(data)
    except StrictJSONError as exc:
        abort(400, f"The request body is not acceptable: {exc}", {exc.where: [str(exc)]})

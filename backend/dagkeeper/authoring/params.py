"""Run parameters of a DAG: ``Param`` and its document form.

A plain value in ``params=`` is shorthand for ``Param(value)``. A Param
without an explicit ``type`` takes the JSON type of its default (none when the
default is None or absent), so the trigger form in the UI knows what to offer.
"""

from __future__ import annotations

import copy
from typing import Any

from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.placeholders import Placeholder
from dagkeeper.serialization import jsonable
from dagkeeper.serialization.params import param_problems
from dagkeeper.serialization.schemas import param_type_problem

# How a default that breaks a rule of serialization's one param check is reported.
MESSAGES = {
    "type": "is not of type {!r}",
    "format": "is not {}",
    "enum": "is not one of {!r}",
    "minimum": "is below minimum {!r}",
    "maximum": "is above maximum {!r}",
}


class _NotSet:
    """The absence of a default (None is a valid default)."""

    def __repr__(self) -> str:
        return "NOTSET"


NOTSET: Any = _NotSet()


def json_type(value: Any) -> str | None:
    """The JSON-schema type name of a Python value; None when it has none."""
    # bool before int: True is an int to Python but not to JSON schema.
    for python_type, name in (
        (bool, "boolean"),
        (int, "integer"),
        (float, "number"),
        (str, "string"),
        (list | tuple, "array"),
        (dict, "object"),
    ):
        if isinstance(value, python_type):
            return name
    return None


class Param:
    """One run parameter: a default (or none, which makes it required) and its schema."""

    def __init__(
        self,
        default: Any = NOTSET,
        description: str | None = None,
        type: str | list[str] | None = None,  # the JSON-schema keyword, as in Airflow
        title: str | None = None,
        enum: list[Any] | None = None,
        minimum: int | float | None = None,
        maximum: int | float | None = None,
        *,
        description_md: str | None = None,
        examples: list[Any] | None = None,
        values_display: dict[Any, str] | None = None,
        format: str | None = None,
    ):
        if type is None and default is not NOTSET:
            type = json_type(default)
        if type is not None:
            type = list(type) if isinstance(type, list | tuple) else type
            problem = param_type_problem(type)
            if problem:
                raise DagDefinitionError(f"Invalid param type {type!r}: {problem}")
        self.default = default
        self.description = description
        self.type = type
        self.title = title
        self.enum = list(enum) if enum is not None else None
        self.minimum = minimum
        self.maximum = maximum
        # The peer's UI keywords; left out of the document when unset.
        self.optional_keywords = {
            "description_md": description_md,
            "examples": list(examples) if examples is not None else None,
            "values_display": (
                {str(k): str(v) for k, v in values_display.items()} if values_display else None
            ),
            "format": format,
        }
        if default is not NOTSET:
            self._check_default()

    @property
    def required(self) -> bool:
        return self.default is NOTSET

    def with_default(self, default: Any) -> Param:
        """A copy of this Param with another default (a ``@dag`` call argument)."""
        clone = copy.copy(self)
        clone.default = default
        clone._check_default()
        return clone

    def _check_default(self) -> None:
        value = self.default
        if value is None:
            return
        rules = {"type": self.type, "enum": self.enum, "minimum": self.minimum,
                 "maximum": self.maximum, "format": self.optional_keywords["format"]}  # fmt: skip
        problems = param_problems(value, rules)
        if problems:
            rule, limit = problems[0]
            raise DagDefinitionError(f"Param default {value!r} {MESSAGES[rule].format(limit)}")

    def to_document(self) -> dict[str, Any]:
        return {
            "default": None if self.required else jsonable(self.default),
            "type": self.type,
            "description": self.description,
            "title": self.title,
            "enum": jsonable(self.enum),
            "minimum": self.minimum,
            "maximum": self.maximum,
            "required": self.required,
            **{k: jsonable(v) for k, v in self.optional_keywords.items() if v is not None},
        }

    def __repr__(self) -> str:
        return f"Param({self.default!r}, type={self.type!r})"


def as_params(params: dict[str, Any] | None) -> dict[str, Param]:
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise DagDefinitionError(f"params must be a dict, got {type(params).__name__}")
    return {str(k): v if isinstance(v, Param) else Param(v) for k, v in params.items()}


class DagParam(Placeholder):
    """A ``@dag`` function argument: stands for the run's value of the parameter."""

    def __init__(self, name: str, default: Any = NOTSET):
        self.name = name
        self.default = default

    def resolve(self, context: dict[str, Any]) -> Any:
        params = context.get("params") or {}
        value = params.get(self.name, self.default)
        if isinstance(value, Param):
            value = value.default
        return None if value is NOTSET else value

    def __repr__(self) -> str:
        return f"DagParam({self.name!r})"

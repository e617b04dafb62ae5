"""Response dicts derived from the response schemas, so each shape is declared once.

A response's shape is its marshmallow schema, which also yields the OpenAPI
document and, through it, the frontend's generated types. Dumping thousands of
rows through marshmallow costs more than the queries, so :func:`shape`
compiles the schema's field list, once at import, into a plain function that
builds the same dict a hand-written one would (same speed, nothing to keep
equal by hand). Adding a response field means adding it to the schema; the
value comes from the object's attribute of that name unless a source says
otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields

from dagkeeper.api.responses import iso

GIVEN = object()  # a source: the caller passes the value as a keyword argument
Dump = Callable[..., dict[str, Any]]


def shape(schema: type[Schema], **sources: Any) -> Dump:
    """``shape(Schema, name=source, ...)`` -> ``dump(obj, given...)``: the schema's fields.

    A field's source is the attribute of the same name by default (passed
    through ``iso`` for date-times), another attribute's name (a ``str``), a
    callable of the object, or :data:`GIVEN` (an argument of ``dump``, in schema order).
    A nested field needs a source.
    """
    declared = schema().fields
    unknown = set(sources) - set(declared)
    if unknown:
        raise TypeError(f"{schema.__name__} has no fields {sorted(unknown)}")
    scope: dict[str, Any] = {"iso": iso}
    items, given = [], []
    for name, field in declared.items():
        source = sources.get(name, name)
        if source is GIVEN:
            given.append(name)
            value = name
        elif callable(source):
            scope[f"source_{name}"] = source
            value = f"source_{name}(obj)"
        elif isinstance(field, fields.Nested) or isinstance(
            getattr(field, "inner", None), fields.Nested
        ):
            raise TypeError(f"{schema.__name__}.{name} is nested: give it a source")
        elif isinstance(field, fields.DateTime):
            value = f"iso(obj.{source})"
        else:
            value = f"obj.{source}"
        items.append(f"{name!r}: {value}")
    params = ", ".join(["obj", "/", *given])
    code = f"def dump({params}):\n    return {{" + ", ".join(items) + "}\n"
    exec(compile(code, f"<shape of {schema.__name__}>", "exec"), scope)  # noqa: S102
    dump: Dump = scope["dump"]
    return dump

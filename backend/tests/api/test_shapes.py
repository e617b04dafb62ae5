"""Response dicts come from the schemas: a field added to a schema appears in the response."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from marshmallow import fields

from dagkeeper.api.schemas.common import Strict, nullable
from dagkeeper.api.shapes import GIVEN, shape


class Inner(Strict):
    name = fields.String(required=True)


class Example(Strict):
    ident = fields.Integer(required=True)
    when = nullable(fields.DateTime)
    label = fields.String(required=True)
    total = fields.Integer(required=True)
    inner = fields.Nested(Inner, required=True)


def test_a_shape_dumps_every_schema_field_from_attributes_sources_and_given_values():
    dump = shape(Example, label="title", total=lambda o: o.a + o.b, inner=GIVEN)
    row = SimpleNamespace(ident=7, when=datetime(2024, 1, 2, tzinfo=UTC), title="t", a=1, b=2)
    result = dump(row, inner={"name": "n"})
    assert result == {
        "ident": 7, "when": "2024-01-02T00:00:00+00:00", "label": "t", "total": 3,
        "inner": {"name": "n"},
    }  # fmt: skip
    assert Example().validate(result) == {}


def test_a_shape_refuses_unknown_sources_and_nested_fields_without_one():
    with pytest.raises(TypeError, match="no fields \\['nope'\\]"):
        shape(Example, nope=GIVEN, inner=GIVEN)
    with pytest.raises(TypeError, match="Example.inner is nested"):
        shape(Example)

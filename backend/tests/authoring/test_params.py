"""Param and plain-value params, as the document stores them."""

import pytest

from dagkeeper import DAG, Param
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.to_document import serialize_dag

EMPTY = {"description": None, "title": None, "enum": None, "minimum": None, "maximum": None,
         "position": 0}  # fmt: skip


@pytest.mark.parametrize(
    ("value", "json_type"),
    [("s", "string"), (True, "boolean"), (3, "integer"), (1.5, "number"), ([1], "array"),
     ({"k": 1}, "object"), (None, None)],
)  # fmt: skip
def test_plain_value_param_type_is_inferred(value, json_type):
    doc = serialize_dag(DAG("d", params={"p": value}))["params"]["p"]
    assert doc == {"default": value, "type": json_type, "required": False, **EMPTY}


def test_param_document_has_every_field():
    param = Param(
        5, description="How many", type="integer", title="Count", enum=[1, 5], minimum=1, maximum=10
    )
    doc = serialize_dag(DAG("d", params={"count": param}))["params"]["count"]
    assert doc == {
        "default": 5, "type": "integer", "description": "How many", "title": "Count",
        "enum": [1, 5], "minimum": 1, "maximum": 10, "required": False, "position": 0,
    }  # fmt: skip


def test_param_without_default_is_required():
    doc = serialize_dag(DAG("d", params={"who": Param(type="string")}))["params"]["who"]
    assert doc == {"default": None, "type": "string", "required": True, **EMPTY}


def test_param_with_none_default_is_not_required():
    assert Param(None).required is False


def test_dag_params_are_param_objects():
    d = DAG("d", params={"a": 1, "b": Param("x")})
    assert all(isinstance(p, Param) for p in d.params.values())
    assert d.params["a"].default == 1


def test_unknown_param_type_is_an_error():
    with pytest.raises(
        DagDefinitionError, match="Invalid param type 'int': valid types are string"
    ):
        Param(1, type="int")


def test_param_default_outside_enum_is_an_error():
    with pytest.raises(DagDefinitionError, match="Param default 3 is not one of \\[1, 2\\]"):
        Param(3, enum=[1, 2])


def test_param_default_outside_range_is_an_error():
    with pytest.raises(DagDefinitionError, match="Param default 11 is above maximum 10"):
        Param(11, maximum=10)
    with pytest.raises(DagDefinitionError, match="Param default 0 is below minimum 1"):
        Param(0, minimum=1)

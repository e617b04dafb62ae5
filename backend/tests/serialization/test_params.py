"""One param check: what a DAG definition accepts as a default, a trigger accepts as conf."""

import pytest

from dagkeeper.authoring import Param
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.serialization.params import conf_errors, param_problems

CASES = [
    ({"type": "integer", "minimum": 1, "maximum": 5}, 3, []),
    ({"type": "integer", "minimum": 1, "maximum": 5}, 9, [("maximum", 5)]),
    ({"type": "integer", "minimum": 1, "maximum": 5}, 0, [("minimum", 1)]),
    ({"type": "integer"}, True, [("type", "integer")]),
    ({"type": "string"}, 5, [("type", "string")]),
    ({"type": "number", "enum": [1, 2.5]}, 2.5, []),
    ({"type": None, "enum": ["a", "b"]}, "c", [("enum", ["a", "b"])]),
    ({"type": "array"}, [1, 2], []),
]


@pytest.mark.parametrize(("rules", "value", "problems"), CASES)
def test_definition_and_trigger_accept_and_refuse_the_same_values(rules, value, problems):
    assert param_problems(value, rules) == problems
    stored = {"default": None, "required": False, **rules}
    assert bool(conf_errors({"p": value}, {"p": stored})) == bool(problems)
    if problems:
        with pytest.raises(DagDefinitionError, match=f"Param default {value!r} "):
            Param(value, **rules)
    else:
        assert Param(value, **rules).default == value


def test_a_default_of_the_wrong_type_is_refused_at_definition_as_trigger_would():
    with pytest.raises(DagDefinitionError, match="Param default 5 is not of type 'string'"):
        Param(5, type="string")
    assert conf_errors({"p": 5}, {"p": {"type": "string"}}) == {
        "conf.p": ["must be of type string"]
    }

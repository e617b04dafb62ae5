"""The peer's JSON-schema keywords on Param: stored in the document only when given."""

import pytest

from dagkeeper import DAG, Param
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.to_document import serialize_dag
from dagkeeper.serialization import dumps, loads


def _param_doc(param: Param) -> dict:
    return serialize_dag(DAG("d", params={"p": param}))["params"]["p"]


def test_keywords_reach_the_document_and_survive_a_round_trip():
    param = Param(
        "eu",
        type=["null", "string"],
        title="Region",
        description_md="Where the **data** lives",
        examples=["eu", "us"],
        values_display={"eu": "Europe", "us": "America"},
        enum=["eu", "us", None],
    )
    doc = _param_doc(param)
    assert doc["type"] == ["null", "string"]
    assert doc["description_md"] == "Where the **data** lives"
    assert doc["examples"] == ["eu", "us"]
    assert doc["values_display"] == {"eu": "Europe", "us": "America"}
    stored = loads(dumps(serialize_dag(DAG("d", params={"p": param}))))
    assert stored.params["p"]["values_display"] == {"eu": "Europe", "us": "America"}


def test_unset_keywords_are_left_out_so_existing_documents_keep_their_hash():
    doc = _param_doc(Param(3, minimum=1))
    assert not {"description_md", "examples", "values_display", "format"} & doc.keys()


def test_format_is_stored():
    assert _param_doc(Param("2024-01-01", format="date"))["format"] == "date"


@pytest.mark.parametrize("bad", [["string", "int"], [], ["string", "string"]])
def test_a_bad_type_list_is_an_error(bad):
    with pytest.raises(DagDefinitionError, match="Invalid param type"):
        Param("x", type=bad)

"""Assets as authored: URI rules, conditions, outlets and ``@asset``, and the document they make."""

from datetime import datetime

import pytest

from dagkeeper import DAG, Asset, AssetAlias, AssetAll, AssetAny, AssetOrTimeSchedule, asset
from dagkeeper.authoring import registry
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.to_document import serialize_dag
from dagkeeper.operators import EmptyOperator
from dagkeeper.serialization import DocumentError, dumps, loads

A = Asset("s3://lake/a")
B = Asset("s3://lake/b", "b", group="lake", extra={"format": "csv"})
REF_A = {
    "type": "asset",
    "uri": "s3://lake/a",
    "name": "s3://lake/a",
    "group": "asset",
    "extra": {},
}
REF_B = {
    "type": "asset",
    "uri": "s3://lake/b",
    "name": "b",
    "group": "lake",
    "extra": {"format": "csv"},
}
ALIAS = {"type": "alias", "name": "daily"}
NONE = {"kind": "none", "expression": None, "seconds": None}


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("orders", "needs a scheme, as in s3://bucket/key or file:///path"),
        ("s3:bucket", "needs a scheme, as in s3://bucket/key or file:///path"),
        ("s3://user:secret@bucket/key", "must not contain credentials (user or password)"),
        ("airflow://x", "the scheme 'airflow' is reserved"),
        ("s3://bücket/k", "must be ASCII without whitespace"),
        ("s3://bucket/a key", "must be ASCII without whitespace"),
        ("", "must be a non-empty string"),
        ("s3://" + "k" * 1500, "must be at most 1500 characters"),
    ],
)
def test_a_bad_uri_is_a_definition_error_saying_why(uri, problem):
    with pytest.raises(DagDefinitionError) as error:
        Asset(uri)
    assert str(error.value) == f"Invalid asset URI {uri!r}: {problem}"


def test_good_uris_and_the_name_defaulting_to_the_uri():
    assert [Asset(u).name for u in ("file:///tmp/x", "postgres://db/table", "x-my://thing")] == [
        "file:///tmp/x", "postgres://db/table", "x-my://thing",
    ]  # fmt: skip
    assert Asset("s3://a/b") == Asset("s3://a/b", "other") and len({A, Asset("s3://lake/a")}) == 1


def _doc(dag):
    return loads(dumps(serialize_dag(dag)))


@pytest.mark.parametrize(
    ("schedule", "condition", "time"),
    [
        ([A], REF_A, NONE),
        ([A, B], {"type": "all", "objects": [REF_A, REF_B]}, NONE),
        (A & B, {"type": "all", "objects": [REF_A, REF_B]}, NONE),
        (
            A | (B & AssetAlias("daily")),
            {"type": "any", "objects": [REF_A, {"type": "all", "objects": [REF_B, ALIAS]}]},
            NONE,
        ),
        (AssetAny(A, B), {"type": "any", "objects": [REF_A, REF_B]}, NONE),
        (AssetAll(AssetAlias("daily")), {"type": "all", "objects": [ALIAS]}, NONE),
        (
            AssetOrTimeSchedule(timetable="@daily", assets=[A]),
            REF_A,
            {"kind": "preset", "expression": "@daily", "seconds": None},
        ),
        ("@daily", None, {"kind": "preset", "expression": "@daily", "seconds": None}),
    ],
    ids=["one", "list", "and", "nested", "any", "alias", "asset-or-time", "no-assets"],
)
def test_asset_schedules_are_stored_as_data(schedule, condition, time):
    with DAG("d", schedule=schedule, start_date=datetime(2024, 1, 1)) as dag:
        EmptyOperator(task_id="t")
    doc = _doc(dag)
    assert (doc.asset_condition, doc.schedule) == (condition, time)


def test_outlets_and_inlets_are_stored_on_their_task_and_left_out_when_empty():
    with DAG("d") as dag:
        EmptyOperator(task_id="make", outlets=[A, AssetAlias("daily")], inlets=B)
        EmptyOperator(task_id="plain")
    raw = serialize_dag(dag)
    doc = _doc(dag)
    assert (doc.tasks["make"].outlets, doc.tasks["make"].inlets) == ([REF_A, ALIAS], [REF_B])
    assert "outlets" not in raw["tasks"][1] and "asset_condition" not in raw


def test_an_outlet_that_is_not_an_asset_is_a_definition_error():
    message = "outlets of task 't': 's3://x' is not an Asset"
    with pytest.raises(DagDefinitionError, match=message), DAG("d"):
        EmptyOperator(task_id="t", outlets=["s3://x"])


def test_asset_decorator_makes_a_one_task_dag_producing_the_asset():
    with registry.capture() as dags:

        @asset("s3://lake/orders", schedule=[A])
        def orders():
            return None

    assert orders == Asset("s3://lake/orders") and orders.name == "orders"
    doc = _doc(dags[0])
    assert (doc.dag_id, list(doc.tasks), doc.asset_condition) == ("orders", ["orders"], REF_A)
    assert doc.tasks["orders"].outlets == [{**REF_A, "uri": "s3://lake/orders", "name": "orders"}]


def test_a_stored_condition_is_validated():
    with DAG("d") as dag:
        EmptyOperator(task_id="t")
    raw = serialize_dag(dag)
    for bad in ({"type": "all", "objects": []}, {"type": "asset", "name": "n"},
                {"type": "asset", "uri": "nope", "name": "n"}, {"type": "when"}):  # fmt: skip
        with pytest.raises(DocumentError):
            dumps({**raw, "asset_condition": bad})

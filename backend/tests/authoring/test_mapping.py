"""Dynamic task mapping at definition time: what the document records, and what is refused."""

from __future__ import annotations

from datetime import datetime

import pytest

from dagkeeper import DAG, task
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.to_document import serialize_dag
from dagkeeper.operators import BashOperator
from dagkeeper.serialization import DocumentError, dumps, loads


def _mapped_dag() -> DAG:
    with DAG("mapped", start_date=datetime(2024, 1, 1)) as dag:

        @task
        def make():
            return [1, 2]

        @task
        def add(x, y, z):
            return x + y + z

        add.partial(z=1).expand(x=make(), y=[10, 20])
        BashOperator.partial(task_id="echo").expand_kwargs(make().zip(["a", "b"], fillvalue=0))
    return dag


def test_the_document_records_what_each_mapped_task_expands_over():
    doc = serialize_dag(_mapped_dag())
    tasks = {t["task_id"]: t for t in doc["tasks"]}
    assert tasks["add"]["expand"] == {
        "kind": "dict",
        "arguments": [
            {"name": "x", "source": {"type": "xcom", "task_id": "make", "key": "return_value"}},
            {"name": "y", "source": {"type": "literal", "value": [10, 20]}},
        ],
    }
    assert tasks["echo"]["expand"] == {
        "kind": "list",
        "source": {"type": "zip", "fillvalue": 0, "sources": [
            {"type": "xcom", "task_id": "make__1", "key": "return_value"},
            {"type": "literal", "value": ["a", "b"]},
        ]},
    }  # fmt: skip
    assert "expand" not in tasks["make"]  # unmapped tasks' documents are as before
    assert sorted(map(tuple, doc["edges"])) == [("make", "add"), ("make__1", "echo")]
    stored = loads(dumps(doc))
    assert (stored.tasks["add"].is_mapped, stored.tasks["make"].is_mapped) == (True, False)


def test_a_document_mapping_over_an_unknown_task_is_refused():
    doc = serialize_dag(_mapped_dag())
    add = next(t for t in doc["tasks"] if t["task_id"] == "add")
    add["expand"]["arguments"][0]["source"]["task_id"] = "gone"
    with pytest.raises(DocumentError, match="maps over unknown task 'gone'"):
        dumps(doc)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda t: t.partial(x=1).expand(x=[1]), "given to both partial\\(\\) and expand\\(\\)"),
        (lambda t: t.expand(), "needs at least one keyword argument"),
        (lambda t: t.expand(x="abc"), "maps over a list, a dict or an XComArg"),
        (lambda t: BashOperator.partial(bash_command="x").expand(env=[{}]), "needs a task_id"),
    ],
)
def test_what_cannot_be_mapped_is_refused_at_definition(make, message):
    with DAG("refused", start_date=datetime(2024, 1, 1)):

        @task
        def one(x):
            return x

        with pytest.raises(DagDefinitionError, match=message):
            make(one)

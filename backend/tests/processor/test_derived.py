"""Publication stores what is derived from a document, once, next to it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from dagkeeper.db import read_session
from dagkeeper.models import DagVersion
from dagkeeper.processor.scan import scan
from dagkeeper.serialization import derive, loads

from .helpers import dag_source, write


@pytest.fixture(autouse=True)
def _fast_parsing(monkeypatch):
    monkeypatch.setenv("DAGKEEPER_PARSE_WORKERS", "1")
    monkeypatch.setenv("DAGKEEPER_PARSE_TIMEOUT", "30")


def test_a_published_version_stores_its_structure_task_order_and_relations(db, dags_folder):
    write(dags_folder, "chain.py", dag_source("chain", tasks=("c", "a", "b")))
    scan(dags_folder)
    with read_session() as session:
        version = session.scalars(select(DagVersion)).one()
        derived = derive(loads(version.document))
        stored = (version.structure, version.task_order, version.relations)
        assert stored == tuple(
            d.decode() for d in (derived.structure, derived.task_order, derived.relations)
        )
        assert json.loads(version.task_order) == ["c", "a", "b"]
        document = version.read()
    assert document.relations.run_order == ["c", "a", "b"]
    assert document.upstream == {"a": ["c"], "b": ["a"], "c": []}

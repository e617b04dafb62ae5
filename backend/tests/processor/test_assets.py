"""Publication registers assets and who produces and consumes them, in the same pass."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dagkeeper.db import read_session
from dagkeeper.models import Asset, Dag, DagAssetReference
from dagkeeper.processor.scan import scan

from .helpers import write

SOURCE = """
from dagkeeper import DAG, Asset
from dagkeeper.operators import EmptyOperator

with DAG("producer", schedule=None):
    EmptyOperator(task_id="make", outlets=[Asset("s3://lake/a", "a", group="lake")])
with DAG("consumer", schedule={schedule}):
    EmptyOperator(task_id="use")
"""


@pytest.fixture(autouse=True)
def _fast_parsing(monkeypatch):
    monkeypatch.setenv("DAGKEEPER_PARSE_WORKERS", "1")
    monkeypatch.setenv("DAGKEEPER_PARSE_TIMEOUT", "30")


def rows():
    with read_session() as session:
        assets = [tuple(r) for r in session.execute(select(Asset.uri, Asset.name, Asset.group))]
        refs = session.execute(
            select(
                DagAssetReference.dag_id,
                Asset.uri,
                DagAssetReference.role,
                DagAssetReference.task_id,
            )  # fmt: skip
            .join(Asset, Asset.id == DagAssetReference.asset_id)
            .order_by(DagAssetReference.dag_id, Asset.uri)
        )
        return sorted(assets), [tuple(r) for r in refs]


def test_a_pass_registers_assets_and_a_new_version_replaces_the_references(db, dags_folder):
    write(dags_folder, "lake.py", SOURCE.format(schedule='[Asset("s3://lake/a")]'))
    scan(dags_folder)
    assert rows() == (
        [("s3://lake/a", "a", "lake")],
        [
            ("consumer", "s3://lake/a", "consumer", ""),
            ("producer", "s3://lake/a", "producer", "make"),
        ],
    )
    write(dags_folder, "lake.py", SOURCE.format(schedule='[Asset("s3://lake/b")]'))
    scan(dags_folder)
    assert rows() == (
        [("s3://lake/a", "a", "lake"), ("s3://lake/b", "s3://lake/b", "asset")],
        [
            ("consumer", "s3://lake/b", "consumer", ""),
            ("producer", "s3://lake/a", "producer", "make"),
        ],
    )


@pytest.mark.parametrize(
    ("schedule", "summary"),
    [
        ('[Asset("s3://lake/a")]', "On assets: s3://lake/a"),
        ('Asset("s3://a/x") | (Asset("s3://a/y") & AssetAlias("z"))',
         "On assets: s3://a/x | (s3://a/y & alias z)"),
        ('AssetOrTimeSchedule(timetable="@daily", assets=[Asset("s3://a/x")])',
         "At 00:00, or on assets: s3://a/x"),
    ],
)  # fmt: skip
def test_the_dag_list_shows_what_an_asset_schedule_waits_for(db, dags_folder, schedule, summary):
    source = SOURCE.replace(
        "import DAG, Asset", "import DAG, Asset, AssetAlias, AssetOrTimeSchedule"
    )
    write(dags_folder, "lake.py", source.format(schedule=schedule))
    scan(dags_folder)
    with read_session() as session:
        assert session.get(Dag, "consumer").schedule_summary == summary

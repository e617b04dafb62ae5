"""A folder of DAGs written the way the peer's documentation writes them, converted and run.

``peer_dags/`` covers the peer's task API that dagkeeper supports; after
``dagkeeper convert`` every file must parse with no import error and every
DAG must run to the states the peer would give it.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from processor.helpers import import_errors
from scheduler.factories import ti_states, trigger
from scheduler.inline import run_to_end
from sqlalchemy import select

from dagkeeper.convert.files import convert_path
from dagkeeper.db import read_session
from dagkeeper.models import Dag
from dagkeeper.processor.scan import scan

PEER_DAGS = Path(__file__).parent / "peer_dags"
S, K = "success", "skipped"

EXPECTED = {
    "tutorial_taskflow_api": {"extract": S, "transform": S, "load": S},
    "tutorial": {t: S for t in ("print_date", "sleep", "templated", "extract", "transform", "load")},
    "example_branching": {
        "run_this_first": S, "branching": S, "branch_a": K, "branch_b": K, "branch_c": S,
        "branch_d": K, "follow_branch_a": K, "follow_branch_b": K, "follow_branch_c": S,
        "follow_branch_d": K, "join": S, "classic_branch": S, "yes": S, "no": K,
        "condition_is_true": S, "true_1": S, "condition_is_false": S, "false_1": K, "false_2": K,
        "short_circuit": S, "after_short_circuit": K, "all_done_after_sc": S, "latest_only": S,
        "after_latest_only": S, "make_choice": S, "weekday_task": S, "weekend_task": K,
        "datetime_branch": S, "date_in_range": K, "date_outside_range": S, "skipper": K,
        "after_skipper": K,
    },
    "example_setup_teardown": {t: S for t in (
        "root_setup", "normal", "root_teardown", "create_cluster", "run_query", "delete_cluster",
    )},
    "example_taskflow_more": {t: S for t in (
        "stage.double", "stage.report", "stage__1.double", "stage__1.report", "hello", "script",
        "in_venv", "elsewhere", "classic_venv", "check",
    )},
}  # fmt: skip


@pytest.fixture
def converted(sqlite_db, dags_folder, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGKEEPER_HOME", str(tmp_path / "home"))  # virtualenvs are cached there
    report = convert_path(PEER_DAGS, dags_folder)
    assert (report.unmapped, report.errors, report.converted) == ([], [], 5)
    summary = scan(dags_folder)
    assert (import_errors(), summary.errors) == ({}, 0)
    return dags_folder


@pytest.mark.parametrize("dag_id", list(EXPECTED))
def test_converted_peer_dags_parse_and_run_to_the_expected_states(converted, dag_id):
    saturday = datetime(2024, 1, 6, tzinfo=UTC)
    run_pk = trigger(dag_id, logical_date=saturday)
    assert run_to_end(run_pk) == "success", ti_states(run_pk)
    assert ti_states(run_pk) == EXPECTED[dag_id]


def test_is_paused_upon_creation_decides_the_new_dags_pause_flag(converted):
    with read_session() as session:
        paused = dict(session.execute(select(Dag.dag_id, Dag.is_paused)).all())
    assert paused == {dag_id: dag_id == "tutorial" for dag_id in EXPECTED}


def test_the_shipped_examples_are_these_dags_converted(tmp_path):
    """examples/dags/from_airflow is convert's output for peer_dags, kept equal by this test."""
    from dagkeeper.config import REPO_ROOT

    convert_path(PEER_DAGS, tmp_path)
    shipped = REPO_ROOT / "examples" / "dags" / "from_airflow"
    files = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(shipped) for p in shipped.rglob("*") if p.is_file())
    for name in files:
        assert (tmp_path / name).read_text() == (shipped / name).read_text(), name

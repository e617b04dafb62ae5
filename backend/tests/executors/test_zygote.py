"""The local executor's zygote and its per-DAG templates, at the process level (no database)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dagkeeper.executors import TaskKey
from dagkeeper.executors.local import LocalExecutor

ENTRIES = "tests.executors.entries"


@pytest.fixture
def executor(monkeypatch):
    backend = str(Path(__file__).resolve().parents[2])
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [backend, os.environ.get("PYTHONPATH")]))
    )
    executor = LocalExecutor(
        4, entry=f"{ENTRIES}:record", warm_up=f"{ENTRIES}:warm_up", prepare=f"{ENTRIES}:prepare",
        db_url="sqlite://",
    )  # fmt: skip
    executor.start()
    yield executor
    executor.stop()


def test_runners_of_a_dag_are_forked_by_its_prepared_template(executor, tmp_path):
    out = tmp_path / "runs.txt"
    exits = [executor.run(TaskKey(n, 1, "fanout", str(out), f"t{n}")) for n in range(3)]
    assert [e.exit_code for e in exits] == [0, 0, 0]
    lines = out.read_text().splitlines()
    parents = {line.split()[2] for line in lines}
    assert len(parents) == 1  # one template forked all three
    (parent,) = parents
    assert parent != f"parent={executor._process.pid}"  # not the zygote itself
    assert all(line.endswith(f"prepared_by={parent.removeprefix('parent=')}") for line in lines)


def test_a_dag_whose_template_fails_to_prepare_still_runs_forked_by_the_zygote(executor, tmp_path):
    out = tmp_path / "runs.txt"
    first = executor.run(TaskKey(1, 1, "broken", str(out), "a"))
    second = executor.run(TaskKey(2, 1, "broken", str(out), "b"))
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert out.read_text().splitlines() == [
        f"broken a parent={executor._process.pid} prepared_by=None",
        f"broken b parent={executor._process.pid} prepared_by=None",
    ]

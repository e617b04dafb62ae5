"""Isolation: user code runs only in children, and the same file gives the same bytes."""

from __future__ import annotations

import sys

from dagkeeper.authoring.loader import MODULE_PREFIX
from dagkeeper.processor.isolation import parse_files
from dagkeeper.processor.scan import scan

from .helpers import dag_source, dags, versions, write


def _dag_modules() -> set[str]:
    return {name for name in sys.modules if name.startswith(MODULE_PREFIX)}


def test_parent_process_never_imports_the_dag_module(db, dags_folder):
    # Other tests in this process may have imported DAG files themselves (in-process runner
    # tests do): what matters is that scanning imports none.
    before = _dag_modules()
    write(dags_folder, "marker.py", dag_source("marker", extra="import json as marker_only\n"))
    scan(dags_folder)
    assert dags() == {"marker": ("marker.py", True, False, 1)}
    assert _dag_modules() == before


def test_same_file_parsed_in_two_children_gives_identical_hash(db, dags_folder):
    path = write(dags_folder, "stable.py", dag_source("stable", tasks=("c", "a", "b")))
    first, second = (
        next(parse_files([path], folder=dags_folder, workers=1, timeout=30)) for _ in range(2)
    )
    assert first.dags[0].document == second.dags[0].document
    scan(dags_folder)
    scan(dags_folder, force=True)
    assert [v[0] for v in versions("stable")] == [1]


def test_two_thousand_task_document_does_not_deadlock_the_pipe(dags_folder):
    path = write(
        dags_folder,
        "wide.py",
        """\
        from dagkeeper import DAG
        from dagkeeper.operators import EmptyOperator

        with DAG("wide", schedule=None):
            layers = [[EmptyOperator(task_id=f"t{l}_{i}") for i in range(40)] for l in range(50)]
            for upper, lower in zip(layers, layers[1:]):
                for i, task in enumerate(lower):
                    upper[i] >> task
                    upper[(i + 7) % 40] >> task
        """,
    )
    (result,) = parse_files([path], folder=dags_folder, workers=1, timeout=60)
    assert result.error is None
    assert len(result.dags[0].document) > 500_000


def test_memory_hog_fails_inside_its_child(dags_folder, monkeypatch):
    monkeypatch.setenv("DAGKEEPER_PARSE_MEMORY_LIMIT_MB", "300")
    path = write(
        dags_folder, "hog.py", "hoard = []\nwhile True:\n    hoard.append(bytearray(10**7))\n"
    )
    (result,) = parse_files([path], folder=dags_folder, workers=1, timeout=60)
    assert result.error is not None
    assert result.error.message == "hog.py:3: MemoryError"


def test_process_killed_by_a_signal_is_reported(dags_folder):
    path = write(
        dags_folder, "killed.py", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"
    )
    (result,) = parse_files([path], folder=dags_folder, workers=1, timeout=30)
    assert result.error.message == "killed.py: killed by signal 9 (SIGKILL)"

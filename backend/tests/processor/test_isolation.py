"""Isolation: user code runs only in children, and the same file gives the same bytes."""

from __future__ import annotations

import sys
import time

from sqlalchemy import select

from dagkeeper.authoring.loader import MODULE_PREFIX
from dagkeeper.config import child_environment
from dagkeeper.db import read_session
from dagkeeper.models import Dag
from dagkeeper.processor.isolation import parse_files
from dagkeeper.processor.scan import scan
from dagkeeper.serialization import loads

from .helpers import dag_source, dags, import_errors, versions, write


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


def test_child_that_reads_no_variable_never_builds_a_database_engine(db, dags_folder):
    """Building a PostgreSQL engine imports the driver: ~50 ms that each of thousands of
    children paid (a 1,000-file checkout took minutes) though only a parse-time Variable
    read needs one. The DAG writes what its child saw into its description."""
    probe = (
        "from dagkeeper import db as _db\n"
        "dag.description = f'engine built: {_db._engine is not None}'\n"
    )
    write(dags_folder, "probe.py", dag_source("probe", extra=probe))
    scan(dags_folder)
    assert _description("probe") == "engine built: False"


def test_children_hold_the_database_layer_only_once_a_file_used_it(db, dags_folder):
    """Children fork from a zygote without SQLAlchemy (each fork copies the page tables
    of all the zygote holds). Once a file reads a Variable from the database, the
    zygote loads it, so later children inherit it instead of importing it each."""
    from dagkeeper.sdk import Variable

    Variable.set("region", "eu")
    probe = 'dag.description = f\'loaded: {"sqlalchemy" in __import__("sys").modules}\'\n'
    reader = "from dagkeeper import Variable\nREGION = Variable.get('region')\n"
    write(dags_folder, "a_first.py", dag_source("a_first", extra=probe))
    write(dags_folder, "b_reader.py", reader + dag_source("b_reader", extra=probe))
    write(dags_folder, "c_after.py", dag_source("c_after", extra=probe))
    paths = sorted(dags_folder.glob("*.py"))
    results = list(parse_files(paths, folder=dags_folder, workers=1, timeout=30))
    described = [loads(r.dags[0].document).description for r in results]
    assert described == ["loaded: False", "loaded: True", "loaded: True"]


def _description(dag_id: str) -> str:
    with read_session() as session:
        return session.scalar(select(Dag.description).where(Dag.dag_id == dag_id))


def test_a_document_the_file_tampered_with_is_an_import_error_not_a_failed_batch(db, dags_folder):
    """The child's serializer runs beside the DAG file's code, which can replace it:
    the processor validates what it receives, so the file gets an import error, its
    last good version stays, and the other files of the batch are published."""
    write(dags_folder, "good.py", dag_source("good"))
    tampered = write(dags_folder, "tampered.py", dag_source("tampered"))
    scan(dags_folder)
    assert dags()["tampered"] == ("tampered.py", True, False, 1)
    tampered.write_text(
        dag_source("tampered", tasks=("a", "b", "c"))
        + "import dagkeeper.processor.child as child\n"
        'child.dumps = lambda doc, **_: b\'{"dag_id": "tampered", "tasks": 7}\'\n'
    )
    write(dags_folder, "new.py", dag_source("new"))
    summary = scan(dags_folder)
    assert summary.errors == 1
    assert dags() == {
        "good": ("good.py", True, False, 1),
        "new": ("new.py", True, False, 1),
        "tampered": ("tampered.py", True, True, 1),  # the last good version, flagged
    }
    message = import_errors()["tampered.py"]
    assert message.startswith("tampered.py: DocumentError: invalid DAG document: ")


def test_children_keep_parsing_while_the_caller_publishes(dags_folder, tmp_path):
    """The next files are parsed while the caller is busy with a result (publishing
    it): launching a child never waits for the caller. Each file leaves a mark."""
    marks = tmp_path / "marks"
    marks.mkdir()
    paths = [
        write(dags_folder, f"f{i}.py", f"open({str(marks / str(i))!r}, 'w').close()\n")
        for i in range(6)
    ]
    results = parse_files(paths, folder=dags_folder, workers=1, timeout=30)
    assert next(results).error is None
    deadline = time.monotonic() + 20
    while len(list(marks.iterdir())) < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(list(marks.iterdir())) == 6
    assert [r.error for r in results] == [None] * 5


def test_a_global_a_file_changes_is_pristine_for_the_next_file(dags_folder):
    """Each file gets a fresh fork: what one file does to a shared module, the next
    never sees (here: a module-level attribute of the operators package)."""
    first = write(
        dags_folder,
        "first.py",
        "import dagkeeper.operators as ops\nops.LEAKED = 1\n" + dag_source("first"),
    )
    second = write(
        dags_folder,
        "second.py",
        "import dagkeeper.operators as ops\nassert not hasattr(ops, 'LEAKED')\n"
        + dag_source("second"),
    )
    results = list(parse_files([first, second], folder=dags_folder, workers=1, timeout=30))
    assert [r.error for r in results] == [None, None]


def test_a_file_sees_the_environment_without_private_settings(db, dags_folder, monkeypatch):
    """The DAG file's ``os.environ`` is the processor's minus DAGKEEPER_* settings
    (the database URL, the secret key), however the child was made to hold it."""
    monkeypatch.setenv("TEAM_REGION", "eu-west-1")
    monkeypatch.setenv("DAGKEEPER_SECRET_KEY", "not-for-dag-files")
    write(
        dags_folder,
        "env.py",
        dag_source("env").replace(
            'tags=["t"]',
            'tags=["t"], description=",".join(sorted(n for n in __import__("os").environ'
            ' if n.startswith(("DAGKEEPER_", "TEAM_")))) + "|" + __import__("os").environ["TEAM_REGION"]',
        ),
    )
    scan(dags_folder)
    with read_session() as session:
        description = session.scalar(select(Dag.description).where(Dag.dag_id == "env"))
    visible = sorted(n for n in child_environment() if n.startswith(("DAGKEEPER_", "TEAM_")))
    assert "DAGKEEPER_SECRET_KEY" not in visible and "TEAM_REGION" in visible
    assert description == ",".join(visible) + "|eu-west-1"


def test_a_hanging_file_is_killed_and_named_while_the_others_parse(dags_folder):
    hanging = write(dags_folder, "hangs.py", "import time\nwhile True:\n    time.sleep(1)\n")
    fine = write(dags_folder, "fine.py", dag_source("fine"))
    results = {
        r.path.name: r
        for r in parse_files([hanging, fine], folder=dags_folder, workers=2, timeout=2)
    }
    assert results["hangs.py"].error.message == "hangs.py: timed out after 2 s"
    assert results["fine.py"].error is None

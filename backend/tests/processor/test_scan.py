"""The processor against real files and a real database (SQLite and PostgreSQL).

Each test asserts the exact rows a pass leaves behind: bad files never take
down other files and never hide a DAG that was good before (DESIGN.md
invariant 3).
"""

from __future__ import annotations

import json

import pytest

from dagkeeper.processor.scan import DagFolderError, scan

from .helpers import (
    dag_source,
    dags,
    document,
    files,
    import_errors,
    stacktrace,
    tags,
    token,
    versions,
    write,
)


@pytest.fixture(autouse=True)
def _fast_parsing(monkeypatch):
    monkeypatch.setenv("DAGKEEPER_PARSE_WORKERS", "2")
    monkeypatch.setenv("DAGKEEPER_PARSE_TIMEOUT", "30")


def test_good_file_publishes_dag_version_code_and_file(db, dags_folder):
    write(dags_folder, "good.py", dag_source("good"))
    summary = scan(dags_folder)
    assert (summary.files, summary.parsed, summary.new_versions, summary.errors) == (1, 1, 1, 0)
    assert dags() == {"good": ("good.py", True, False, 1)}
    assert [v[0] for v in versions("good")] == [1]
    assert versions("good")[0][2] == 2
    assert tags("good") == ["t"]
    assert files() == {"good.py": 1}
    assert import_errors() == {}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x = (\n", "broken.py:1: SyntaxError: '(' was never closed"),
        ("import os\n\nimport nope\n", "broken.py:3: ModuleNotFoundError: No module named 'nope'"),
        ("x = 1\nraise RuntimeError('boom')\n", "broken.py:2: RuntimeError: boom"),
        ("import sys\nsys.exit(1)\n", "broken.py:2: sys.exit(1) called"),
        ("import os\nos._exit(3)\n", "broken.py: process exited with code 3"),
    ],
    ids=["syntax-error", "missing-module", "exception", "sys-exit", "os-exit"],
)
def test_broken_file_records_one_line_import_error(db, dags_folder, source, message):
    write(dags_folder, "good.py", dag_source("good"))
    write(dags_folder, "broken.py", source)
    summary = scan(dags_folder)
    assert import_errors() == {"broken.py": message}
    assert dags() == {"good": ("good.py", True, False, 1)}
    assert files() == {"broken.py": 0, "good.py": 1}
    assert (summary.parsed, summary.errors) == (2, 1)
    assert "dagkeeper/" not in stacktrace("broken.py")


def test_exception_stacktrace_shows_user_frames_only(db, dags_folder):
    write(dags_folder, "boom.py", "def fail():\n    raise ValueError('bad config')\n\nfail()\n")
    scan(dags_folder)
    assert import_errors() == {"boom.py": "boom.py:2: ValueError: bad config"}
    trace = stacktrace("boom.py")
    assert trace.startswith("Traceback (most recent call last):\n")
    assert 'boom.py", line 4, in <module>' in trace
    assert 'boom.py", line 2, in fail' in trace
    assert "importlib" not in trace and "dagkeeper" not in trace


def test_endless_loop_times_out_without_blocking_other_files(db, dags_folder, monkeypatch):
    monkeypatch.setenv("DAGKEEPER_PARSE_TIMEOUT", "1")
    write(dags_folder, "loop.py", "while True:\n    pass\n")
    write(dags_folder, "good.py", dag_source("good"))
    scan(dags_folder)
    assert import_errors() == {"loop.py": "loop.py: timed out after 1 s"}
    assert dags() == {"good": ("good.py", True, False, 1)}


def test_file_printing_megabytes_still_publishes(db, dags_folder):
    write(dags_folder, "loud.py", dag_source("loud", extra="print('x' * 8_000_000)\n"))
    scan(dags_folder)
    assert dags() == {"loud": ("loud.py", True, False, 1)}
    assert import_errors() == {}


def test_file_defining_two_dags_publishes_both(db, dags_folder):
    source = dag_source("first") + dag_source("second").split("\n\n", 1)[1]
    write(dags_folder, "two.py", source)
    scan(dags_folder)
    assert dags() == {
        "first": ("two.py", True, False, 1),
        "second": ("two.py", True, False, 1),
    }
    assert files() == {"two.py": 2}


def test_dags_built_in_a_loop_count(db, dags_folder):
    write(
        dags_folder,
        "loop_dags.py",
        """\
        from dagkeeper import DAG
        from dagkeeper.operators import EmptyOperator

        for name in ("x", "y", "z"):
            with DAG(f"gen_{name}", schedule=None):
                EmptyOperator(task_id="only")
        """,
    )
    scan(dags_folder)
    assert sorted(dags()) == ["gen_x", "gen_y", "gen_z"]


def test_same_dag_id_in_second_file_is_an_error_and_original_keeps_it(db, dags_folder):
    write(dags_folder, "a_original.py", dag_source("shared"))
    scan(dags_folder)
    write(dags_folder, "b_copy.py", dag_source("shared") + dag_source("other").split("\n\n", 1)[1])
    scan(dags_folder)
    assert dags() == {
        "shared": ("a_original.py", True, False, 1),
        "other": ("b_copy.py", True, True, 1),
    }
    assert import_errors() == {
        "b_copy.py": "b_copy.py: DAG 'shared' is already defined in a_original.py"
    }


def test_newcomer_takes_over_dag_id_when_owner_is_deleted(db, dags_folder):
    write(dags_folder, "a_original.py", dag_source("shared"))
    scan(dags_folder)
    write(dags_folder, "b_copy.py", dag_source("shared", tasks=("a", "b", "c")))
    scan(dags_folder)
    (dags_folder / "a_original.py").unlink()
    scan(dags_folder)
    assert dags() == {"shared": ("b_copy.py", True, False, 2)}
    assert import_errors() == {}


def test_cycle_is_an_import_error_naming_the_cycle(db, dags_folder):
    write(dags_folder, "cycle.py", dag_source("cycle", tasks=("a", "b", "c"), extra="    c >> a\n"))
    scan(dags_folder)
    assert dags() == {}
    message = import_errors()["cycle.py"]
    assert (
        message == "cycle.py: DagDefinitionError: Cycle detected in DAG 'cycle': a -> b -> c -> a"
    )


def test_non_json_default_arg_is_stored_as_repr(db, dags_folder):
    source = dag_source("odd").replace(
        'tags=["t"])', 'tags=["t"], default_args={"thing": object(), "n": 2})'
    )
    write(dags_folder, "odd.py", source)
    scan(dags_folder)
    assert json.loads(document("odd"))["default_args"] == {"thing": "<object object>", "n": 2}


def test_deleted_file_deactivates_its_dags_and_forgets_the_file(db, dags_folder):
    write(dags_folder, "gone.py", dag_source("gone"))
    write(dags_folder, "broken.py", "x = (\n")
    scan(dags_folder)
    (dags_folder / "gone.py").unlink()
    (dags_folder / "broken.py").unlink()
    summary = scan(dags_folder)
    assert summary.deleted == 2
    assert dags() == {"gone": ("gone.py", False, False, 1)}
    assert files() == {}
    assert import_errors() == {}


def test_dag_removed_from_file_is_deactivated(db, dags_folder):
    source = dag_source("keep") + dag_source("drop").split("\n\n", 1)[1]
    write(dags_folder, "two.py", source)
    scan(dags_folder)
    write(dags_folder, "two.py", dag_source("keep"))
    scan(dags_folder)
    assert dags() == {"keep": ("two.py", True, False, 1), "drop": ("two.py", False, False, 1)}
    assert files() == {"two.py": 1}


def test_renamed_file_moves_the_dag_without_a_new_version(db, dags_folder):
    write(dags_folder, "old_name.py", dag_source("moving"))
    scan(dags_folder)
    (dags_folder / "sub").mkdir()
    (dags_folder / "old_name.py").rename(dags_folder / "sub" / "new_name.py")
    scan(dags_folder)
    assert dags() == {"moving": ("sub/new_name.py", True, False, 1)}
    assert files() == {"sub/new_name.py": 1}


def test_restored_file_reactivates_its_dag(db, dags_folder):
    path = write(dags_folder, "back.py", dag_source("back"))
    scan(dags_folder)
    path.unlink()
    scan(dags_folder)
    write(dags_folder, "back.py", dag_source("back"))
    scan(dags_folder)
    assert dags() == {"back": ("back.py", True, False, 1)}


def test_unchanged_file_writes_nothing(db, dags_folder):
    write(dags_folder, "same.py", dag_source("same"))
    scan(dags_folder)
    before = (token(), dags(), files(), versions("same"))
    summary = scan(dags_folder)
    assert (summary.parsed, summary.unchanged) == (0, 1)
    assert (token(), dags(), files(), versions("same")) == before


def test_changed_file_creates_version_two_and_keeps_version_one(db, dags_folder):
    write(dags_folder, "grow.py", dag_source("grow"))
    scan(dags_folder)
    first = versions("grow")
    write(dags_folder, "grow.py", dag_source("grow", tasks=("a", "b", "c")))
    summary = scan(dags_folder)
    assert summary.new_versions == 1
    assert versions("grow")[0] == first[0]
    assert [(v[0], v[2]) for v in versions("grow")] == [(1, 2), (2, 3)]
    assert dags() == {"grow": ("grow.py", True, False, 2)}


def test_comment_only_change_creates_no_version(db, dags_folder):
    write(dags_folder, "quiet.py", dag_source("quiet"))
    scan(dags_folder)
    write(dags_folder, "quiet.py", "# a comment\n" + dag_source("quiet"))
    summary = scan(dags_folder)
    assert (summary.parsed, summary.new_versions) == (1, 0)
    assert versions("quiet")[-1][0] == 1


def test_broken_file_keeps_last_good_version_visible(db, dags_folder):
    write(dags_folder, "flaky.py", dag_source("flaky"))
    scan(dags_folder)
    good = versions("flaky")
    write(dags_folder, "flaky.py", dag_source("flaky") + "raise RuntimeError('oops')\n")
    scan(dags_folder)
    assert dags() == {"flaky": ("flaky.py", True, True, 1)}
    assert versions("flaky") == good
    assert import_errors() == {"flaky.py": "flaky.py:9: RuntimeError: oops"}
    assert files() == {"flaky.py": 1}


def test_fixing_a_broken_file_clears_the_import_error(db, dags_folder):
    write(dags_folder, "flaky.py", dag_source("flaky"))
    scan(dags_folder)
    write(dags_folder, "flaky.py", "x = (\n")
    scan(dags_folder)
    before = token()
    write(dags_folder, "flaky.py", dag_source("flaky", tasks=("a", "b", "c")))
    scan(dags_folder)
    assert import_errors() == {}
    assert dags() == {"flaky": ("flaky.py", True, False, 2)}
    assert token() == before + 1


def test_dagkeeperignore_excludes_files_and_folders(db, dags_folder):
    write(dags_folder, ".dagkeeperignore", "scratch_*.py\nvendored/\n")
    write(dags_folder, "kept.py", dag_source("kept"))
    write(dags_folder, "scratch_1.py", dag_source("scratch"))
    write(dags_folder, "vendored/lib.py", "raise RuntimeError('never imported')\n")
    write(dags_folder, "team/.dagkeeperignore", "local.py\n")
    write(dags_folder, "team/local.py", dag_source("local"))
    write(dags_folder, "team/shared.py", dag_source("shared"))
    scan(dags_folder)
    assert sorted(dags()) == ["kept", "shared"]
    assert import_errors() == {}


def test_newly_ignored_file_is_forgotten(db, dags_folder):
    write(dags_folder, "later_ignored.py", dag_source("later"))
    scan(dags_folder)
    write(dags_folder, ".dagkeeperignore", "later_ignored.py\n")
    scan(dags_folder)
    assert dags() == {"later": ("later_ignored.py", False, False, 1)}
    assert files() == {}


def test_missing_dag_folder_is_an_error(db, tmp_path):
    with pytest.raises(DagFolderError):
        scan(tmp_path / "nowhere")

"""A pass publishes as one change: DAGs moving between files, swapped revisions, counts.

Readers must never see a DAG missing while some file defines it, nor a mix of
two revisions of the DAG folder (DESIGN.md invariant 9).
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select, update

from dagkeeper import db as db_module
from dagkeeper.db import read_session, transaction
from dagkeeper.models import Dag, DagVersion
from dagkeeper.processor.revision import read_revision
from dagkeeper.processor.scan import Scanner, scan
from dagkeeper.processor.settle import WriteTracker
from dagkeeper.processor.watch import watch
from dagkeeper.testing.writers import swap_symlink

from .helpers import dag_source, dags, import_errors, token, versions, wait_for, write

OTHER = dag_source("other").split("\n\n", 1)[1]  # a second DAG, to append to a file


def pause(dag_id: str) -> None:
    with transaction() as session:
        session.execute(update(Dag).where(Dag.dag_id == dag_id).values(is_paused=True))


def test_dag_moved_between_files_in_one_pass_is_one_change(db, dags_folder):
    write(dags_folder, "b_old.py", dag_source("mover") + OTHER)
    scan(dags_folder)
    pause("mover")
    before = token()
    write(dags_folder, "a_new.py", dag_source("mover", tasks=("a", "b", "c")))
    write(dags_folder, "b_old.py", dag_source("other"))
    summary = scan(dags_folder)
    assert token() == before + 1  # one transaction: no moment without the DAG
    assert dags()["mover"] == ("a_new.py", True, False, 2)
    assert [v[0] for v in versions("mover")] == [1, 2]
    assert import_errors() == {}
    with read_session() as session:
        assert session.get(Dag, "mover").is_paused
    assert (summary.files, summary.parsed, summary.unchanged) == (2, 2, 0)


def test_dag_moved_in_two_saves_is_handed_over_without_a_gap(db, dags_folder):
    write(dags_folder, "b_old.py", dag_source("mover") + OTHER)
    scan(dags_folder)
    write(dags_folder, "a_new.py", dag_source("mover"))
    scan(dags_folder)
    assert dags()["mover"][:2] == ("b_old.py", True)
    assert "a_new.py" in import_errors()
    before = token()
    write(dags_folder, "b_old.py", dag_source("other"))
    summary = scan(dags_folder, only=[dags_folder / "b_old.py"])
    assert token() == before + 1
    assert dags()["mover"] == ("a_new.py", True, False, 1)
    assert import_errors() == {}
    assert (summary.files, summary.parsed, summary.unchanged) == (2, 2, 0)


def test_restored_file_takes_its_dag_back_when_the_file_that_took_it_goes(
    db, dags_folder, monkeypatch
):
    """A checkout deletes and re-creates a file (same bytes) while another file briefly
    defines its DAG; when that other file goes, the DAG returns to the restored file."""
    monkeypatch.setenv("DAGKEEPER_SETTLE_SECONDS", "0.2")
    scanner = Scanner(dags_folder, defer_deletes=True)
    original = write(dags_folder, "a.py", dag_source("mover"))
    scanner.run()
    original.unlink()
    interim = write(dags_folder, "b.py", dag_source("mover"))
    time.sleep(0.25)
    scanner.run()
    assert dags()["mover"] == ("b.py", True, False, 1)
    write(dags_folder, "a.py", dag_source("mover"))
    interim.unlink()
    while scanner.run().deleted == 0:
        time.sleep(0.05)
    assert dags()["mover"] == ("a.py", True, False, 1)


def test_scan_counts_add_up_when_a_freed_dag_is_retried(db, dags_folder):
    write(dags_folder, "a_owner.py", dag_source("shared"))
    write(dags_folder, "c_plain.py", dag_source("plain"))
    scan(dags_folder)
    write(dags_folder, "b_claims.py", dag_source("shared"))
    scan(dags_folder)
    (dags_folder / "a_owner.py").unlink()
    summary = scan(dags_folder)
    assert (summary.files, summary.parsed, summary.unchanged, summary.deleted) == (2, 1, 1, 1)
    assert summary.line().startswith("2 files (1 parsed, 1 unchanged, 1 deleted)")
    assert dags()["shared"][:2] == ("b_claims.py", True)


def _git(cwd, *args) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


def _revision(repo, name: str, files: dict[str, str]):
    """Commit ``files`` and check the commit out into its own work tree, as git-sync does."""
    for path in repo.glob("*.py"):
        path.unlink()
    for path, text in files.items():
        write(repo, path, text)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", name)
    commit = _git(repo, "rev-parse", "HEAD")
    tree = repo.parent / f"rev-{name}"
    _git(repo, "worktree", "add", "-q", "--detach", str(tree), commit)
    return tree, commit


def test_swapped_revision_is_picked_up_whole_and_recorded(db, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    first = {f"f{i}.py": dag_source(f"rev_{i}") for i in range(6)}
    tree_a, commit_a = _revision(repo, "a", first)
    second = {
        **first,
        "f0.py": dag_source("rev_0", tasks=("a", "b", "c")),
        "new.py": dag_source("rev_new"),
    }
    del second["f5.py"]
    tree_b, commit_b = _revision(repo, "b", second)
    link = tmp_path / "dags"
    link.symlink_to(tree_a)
    monkeypatch.setenv("DAGKEEPER_DAGS_FOLDER", str(link))
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(link,), kwargs={"rescan_interval": 3600, "stop": stop}
    )
    thread.start()
    try:
        wait_for(lambda: sum(d[1] for d in dags().values()) == 6)
        before = token()
        swap_symlink(link, tree_b)
        wait_for(lambda: "rev_new" in dags())
        assert token() == before + 1  # the whole revision in one transaction
    finally:
        stop.set()
        thread.join(20)
    active = {dag_id for dag_id, row in dags().items() if row[1]}
    assert active == {"rev_0", "rev_1", "rev_2", "rev_3", "rev_4", "rev_new"}
    with read_session() as session:
        rows = session.execute(
            select(
                DagVersion.dag_id,
                DagVersion.version_number,
                DagVersion.revision,
                DagVersion.git_commit,
            )
        ).all()
    recorded = {(d, n): (r, c) for d, n, r, c in rows}
    assert recorded[("rev_1", 1)] == (str(tree_a), commit_a)
    assert recorded[("rev_0", 2)] == (str(tree_b), commit_b)
    assert recorded[("rev_new", 1)] == (str(tree_b), commit_b)


def test_revision_of_a_plain_folder_is_empty_and_a_work_tree_names_its_commit(tmp_path):
    assert read_revision(tmp_path).target is None and read_revision(tmp_path).commit is None
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    tree, commit = _revision(repo, "a", {"x.py": "x = 1\n"})
    (repo / "dags").mkdir()
    assert read_revision(repo).commit == commit  # HEAD on a branch
    assert read_revision(tree).commit == commit  # a linked work tree, detached


def test_symlinked_sub_folder_is_scanned(db, dags_folder, tmp_path):
    elsewhere = tmp_path / "team_repo"
    write(elsewhere, "team.py", dag_source("team_dag"))
    (dags_folder / "team").symlink_to(elsewhere)
    (elsewhere / "loop").symlink_to(elsewhere)  # a link loop must not make the walk endless
    scan(dags_folder)
    assert dags() == {"team_dag": ("team/team.py", True, False, 1)}


def test_owner_emptied_while_the_claiming_file_is_written_keeps_the_dag(
    db, dags_folder, monkeypatch
):
    """A DAG moves a.py -> b.py; a.py is emptied while b.py is being written again (a
    second move, an editor's save). a.py must not drop the DAG before b.py can take it."""
    monkeypatch.setenv("DAGKEEPER_SETTLE_SECONDS", "0.2")
    # Its settle only sets when an unclosed write expires (4 windows): long, so a slow
    # machine cannot expire the write these tests hold open.
    tracker = WriteTracker(5.0)
    scanner = Scanner(dags_folder, tracker=tracker, defer_deletes=True)
    write(dags_folder, "a.py", dag_source("mover"))
    time.sleep(0.25)
    scanner.run()
    claims = write(dags_folder, "b.py", dag_source("mover"))
    time.sleep(0.25)
    scanner.run()
    assert dags()["mover"][:2] == ("a.py", True)
    assert "b.py" in import_errors()
    write(dags_folder, "a.py", "# moved elsewhere\n")
    tracker.written(str(claims))  # b.py is open for writing again
    time.sleep(0.25)
    scanner.run()
    assert dags()["mover"][:2] == ("a.py", True)  # held: its new home cannot be read yet
    tracker.finished(str(claims))
    time.sleep(0.05)
    scanner.run()
    assert dags()["mover"][:2] == ("b.py", True)
    assert import_errors() == {}


def test_owner_deleted_while_a_known_empty_file_is_rewritten_keeps_the_dag(
    db, dags_folder, monkeypatch
):
    """A DAG moves back into b.py, which an earlier move left empty (so b.py owns
    nothing and has no import error), and a.py is deleted while b.py is still being
    written. The DAG stays with a.py until b.py can be read."""
    monkeypatch.setenv("DAGKEEPER_SETTLE_SECONDS", "0.2")
    # Its settle only sets when an unclosed write expires (4 windows): long, so a slow
    # machine cannot expire the write these tests hold open.
    tracker = WriteTracker(5.0)
    scanner = Scanner(dags_folder, tracker=tracker, defer_deletes=True)
    owner = write(dags_folder, "a.py", dag_source("mover"))
    taker = write(dags_folder, "b.py", "# moved elsewhere\n")
    time.sleep(0.25)
    scanner.run()
    assert dags()["mover"][:2] == ("a.py", True) and import_errors() == {}
    write(dags_folder, "b.py", dag_source("mover"))
    tracker.written(str(taker))  # b.py is still open for writing
    owner.unlink()
    for _ in range(2):  # the first pass notices a.py is missing, the second may release
        time.sleep(0.25)
        scanner.run()
        assert dags()["mover"][:2] == ("a.py", True)  # held: its new home cannot be read yet
    tracker.finished(str(taker))
    time.sleep(0.25)
    scanner.run()
    assert dags()["mover"][:2] == ("b.py", True)
    assert import_errors() == {}


def test_a_partial_pass_that_meets_a_swapped_revision_reads_it_whole(db, tmp_path, monkeypatch):
    """The link is swapped between the watcher's check and a pass over a few
    changed files: that pass reads the whole new revision, never a mix of two."""
    first = {f"f{i}.py": dag_source(f"old_{i}") for i in range(4)}
    second = {"f0.py": dag_source("old_0", tasks=("a", "b", "c")), "g.py": dag_source("new_g")}
    trees = []
    for name, files in (("a", first), ("b", second)):
        trees.append(tmp_path / f"rev-{name}")
        for path, text in files.items():
            write(trees[-1], path, text)
    link = tmp_path / "dags"
    link.symlink_to(trees[0])
    monkeypatch.setenv("DAGKEEPER_SETTLE_SECONDS", "0.2")
    scanner = Scanner(link, tracker=WriteTracker(0.2), defer_deletes=True)
    time.sleep(0.25)
    scanner.run()
    assert {dag_id for dag_id, row in dags().items() if row[1]} == {f"old_{i}" for i in range(4)}
    swap_symlink(link, trees[1])
    scanner.run(["f0.py"])  # the events named a file the old revision also had
    active = {dag_id for dag_id, row in dags().items() if row[1]}
    assert active == {"old_0", "new_g"}
    assert [v[2] for v in versions("old_0")] == [2, 3]  # tasks of each version


def test_a_first_pass_shows_whole_files_while_it_parses_the_rest(db, dags_folder, monkeypatch):
    """A folder the database knows nothing of is published in batches of whole files:
    DAGs appear while later files are still parsed, never one DAG of a file alone."""
    monkeypatch.setattr("dagkeeper.processor.scan.FIRST_PASS_BATCH", 2)
    for index in range(6):
        write(
            dags_folder,
            f"f{index}.py",
            dag_source(f"one_{index}") + OTHER.replace("other", f"two_{index}"),
        )
    seen: list[list[str]] = []
    summary = scan(dags_folder, progress=lambda done, total: seen.append(sorted(dags())))
    assert any(0 < len(visible) < 12 for visible in seen)
    for visible in seen:
        files = {dag_id.split("_")[1] for dag_id in visible}
        assert sorted(visible) == sorted(f"{kind}_{i}" for i in files for kind in ("one", "two"))
    assert (summary.parsed, summary.dags, summary.errors) == (6, 12, 0)


@contextmanager
def sent_statements() -> Iterator[list[str]]:
    """Every SQL statement the block sends to the database, in order."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_):
        statements.append(statement)

    engine = db_module.engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_new_files_are_published_without_a_lookup_per_file(db, dags_folder):
    """A first pass publishes thousands of files the database knows nothing of: one
    query per batch finds which of them some row names, not three lookups per file.
    A file that comes back after it was deleted is still known (its DAG and code
    rows stay) and keeps its DAG."""
    for index in range(20):
        write(dags_folder, f"new_{index}.py", dag_source(f"new_{index}"))
    with sent_statements() as statements:
        scan(dags_folder)
    lookups = [
        s for s in statements if re.search(r"(dag_file.path|dag.fileloc|dag_code.fileloc) = ", s)
    ]
    assert lookups == []
    back = (dags_folder / "new_0.py").read_text()
    (dags_folder / "new_0.py").unlink()
    scan(dags_folder)
    write(dags_folder, "new_0.py", back)
    scan(dags_folder)
    assert dags()["new_0"] == ("new_0.py", True, False, 1)


def test_a_batch_of_new_files_writes_each_table_in_one_statement(db, dags_folder):
    """A first pass writes a batch of files in one flush: one multi-row INSERT per
    table however many files the batch holds (it was eight statements per file)."""
    for index in range(30):
        write(dags_folder, f"new_{index:02}.py", dag_source(f"new_{index:02}"))
    with sent_statements() as statements:
        summary = scan(dags_folder)
    writes = Counter(
        " ".join(s.split()[:3]) for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))
    )
    # SQLite's RETURNING keeps no order, so rows whose new id is needed go one by one there.
    per_row = 30 if db_module.engine().dialect.name == "sqlite" else 1
    assert writes == {
        "INSERT INTO dag": 1,
        "INSERT INTO dag_tag": 1,
        "INSERT INTO dag_code": per_row,
        "INSERT INTO dag_version": per_row,
        "UPDATE dag SET": 1,  # each row's current version, once the versions have ids
        "INSERT INTO dag_file": per_row,
        "UPDATE change_counter SET": 1,
        "INSERT INTO change_log": 1,
    }
    assert (summary.parsed, summary.dags, summary.new_versions) == (30, 30, 30)
    assert dags() == {
        f"new_{index:02}": (f"new_{index:02}.py", True, False, 1) for index in range(30)
    }

"""One pass over the DAG folder: read what changed and is complete, publish it all at once.

A pass resolves the folder once (it may be a symlink that a sync side-car
swaps) and reads only that revision. A file is read only when it is complete
(:mod:`dagkeeper.processor.settle`); one that is not yet is left waiting for a
later pass. A file whose stat and content hash are unchanged is not parsed and
writes nothing. Everything a pass parsed and every file it found gone is
published in one transaction, so a checkout, a swapped revision or a DAG moved
between files is one change for readers. Only the first pass over a folder the
database knows nothing of publishes in batches of whole files as they are
parsed: there is no old state to mix with, and publishing overlaps parsing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from dagkeeper.config import load_settings
from dagkeeper.db import read_session
from dagkeeper.models import Dag, DagFile, DagImportError
from dagkeeper.processor.files import find_dag_files, is_dag_file
from dagkeeper.processor.isolation import ParseResult, parse_files_in_background
from dagkeeper.processor.publish import (
    Publication,
    content_hash,
    publish_batch,
    relative_fileloc,
)
from dagkeeper.processor.revision import Revision, read_revision
from dagkeeper.processor.settle import EVENT_LAG, FileState, WriteTracker

CACHE_AFTER = 1.0  # seconds a file must be still before its stat may vouch for its bytes
ONE_SHOT_PATIENCE = 30.0  # a one-shot scan waits at most this long for files being written
FIRST_PASS_BATCH = 100  # files per transaction when the database knows none of the folder


class DagFolderError(RuntimeError):
    """The DAG folder is missing or not a folder: nothing can be parsed."""


@dataclass
class ScanSummary:
    files: int = 0  # DAG files considered: parsed + unchanged + waiting
    parsed: int = 0
    unchanged: int = 0
    waiting: int = 0  # still being written: left for a later pass
    deleted: int = 0
    new_versions: int = 0
    errors: int = 0  # files that failed (or partly failed) to parse in this pass
    dags: int = 0  # active DAGs in the database after the pass
    import_errors: int = 0  # import errors in the database after the pass
    seconds: float = 0.0

    def line(self) -> str:
        waiting = f", {self.waiting} still being written" if self.waiting else ""
        return (
            f"{self.files} files ({self.parsed} parsed, {self.unchanged} unchanged{waiting}, "
            f"{self.deleted} deleted), {self.dags} DAGs, {self.new_versions} new versions, "
            f"{self.errors} errors in this pass ({self.import_errors} files with import errors), "
            f"{self.seconds:.2f} s"
        )


Progress = Callable[[int, int], None]  # (files done, files to parse)


class _Waiting(Exception):
    """The file is not complete yet."""


class Scanner:
    """Keeps one DAG folder's database state in step, pass after pass.

    It remembers the stat of each file it read, so a pass over thousands of
    unchanged files costs a ``stat`` each, and the files still being written.
    ``tracker`` carries what file-system events said about writers (watch
    mode); ``defer_deletes`` makes a vanished file count as deleted only once it
    stayed gone for the settle window (a checkout deletes and re-creates files).
    """

    def __init__(
        self, folder: Path, *, tracker: WriteTracker | None = None, defer_deletes: bool = False
    ):
        self.folder = Path(os.path.abspath(folder))
        self.settings = load_settings()
        self.settle = self.settings.settle_seconds
        self.tracker = tracker
        self.defer_deletes = defer_deletes
        self.waiting: set[str] = set()  # filelocs to look at again
        self.root: Path | None = None
        self._reread = False  # a swapped revision was left unpublished: read it whole
        self._read: dict[str, tuple[FileState, str]] = {}  # path -> stat, hash it vouches for
        self._missing_since: dict[str, float] = {}
        self._not_before: dict[str, float] = {}  # files that would hide DAGs wait till then
        self._retry: set[str] = set()  # to parse again even if unchanged: a DAG id was freed

    def run(
        self,
        only: Iterable[str] | None = None,
        *,
        force: bool = False,
        trusted: bool = False,
        progress: Progress | None = None,
    ) -> ScanSummary:
        """One pass over the folder (or just the ``only`` filelocs, plus those still waiting).

        ``trusted``: the revision was swapped in whole, so its files are complete.
        """
        started = time.monotonic()
        revision = read_revision(self.folder)
        root = revision.root
        if not root.is_dir():
            raise DagFolderError(f"DAG folder {self.folder} does not exist or is not a folder")
        if root != self.root:
            if self.root is not None or self._reread:
                # A swapped revision, however this pass was asked for: read it whole,
                # as one complete change, never a few of its files beside the old ones.
                only, trusted = None, True
            self.root, self._read, self._reread = root, {}, False
        known = self._known(None if only is None else {*only, *self.waiting})
        if only is None:
            locs = find_dag_files(root)
        else:
            candidates = sorted({*only, *self.waiting})
            locs = [
                loc
                for loc in candidates
                if os.path.isfile(root / loc) and is_dag_file(root, root / loc)
            ]
        top = str(root)
        present = {loc: f"{top}/{loc}" for loc in locs}
        self.waiting = set()
        outcome: dict[str, str] = {}
        gone = self._gone(set(known) - set(present), deferred=self.defer_deletes and not trusted)
        to_parse: dict[Path, tuple[bytes, FileState]] = {}
        for loc, path in present.items():  # plain strings: this loop runs per file
            self._missing_since.pop(loc, None)
            try:
                read = self._read_complete(
                    path, known.get(loc), force=force or loc in self._retry, trusted=trusted
                )
            except _Waiting:
                outcome[loc] = "waiting"
                continue
            if read is None:
                outcome[loc] = "unchanged"
            else:
                to_parse[Path(path)] = read
        results = self._parse(root, to_parse, progress)
        if not trusted and not known and self._nothing_published():
            return self._first_pass(root, results, to_parse, outcome, revision, started)
        batch, freeing = self._complete_results(root, results, to_parse, gone, outcome)
        if freeing:
            # DAG ids were released: files that failed only because another file
            # owned one of them, or that lost one to a file that is gone now, may
            # take them over, in the same transaction.
            retry, unreadable = self._files_to_retry(root, outcome)
            retried = self._parse(root, retry, None)
            more, _ = self._complete_results(root, retried, retry, [], outcome)
            if unreadable:
                # A file that may take a released id is being written: releasing it
                # now would hide the DAG until that file is read. Release it later.
                batch, gone = self._hold_back(batch, gone, freeing, outcome)
            else:
                batch += more
        swapped = os.path.realpath(self.folder) != str(root)
        if swapped or (trusted and "waiting" in outcome.values()):
            # Swapped again while this pass read the old revision, or part of a new
            # revision could not be read: publish none of it, and read it all again.
            self.root, self._reread = None, True
            batch, gone = [], []
        summary = ScanSummary(deleted=len(gone))
        _count(summary, publish_batch(root, batch, gone, revision))
        return self._summed(summary, outcome, started)

    def _first_pass(
        self,
        root: Path,
        results: Iterable[ParseResult],
        sources: dict[Path, tuple[bytes, FileState]],
        outcome: dict[str, str],
        revision: Revision,
        started: float,
    ) -> ScanSummary:
        """Publish a folder the database knows nothing of in batches, while children
        parse the next files.

        Each batch commits whole files (DESIGN.md 2), and nothing was visible
        before, so no reader can see a DAG vanish or two revisions mixed: DAGs
        appear batch by batch. No file can free a DAG id (none owns one yet).
        Should the folder be swapped meanwhile, what is left of the old revision
        is dropped and the next pass reads the new one whole, in one transaction.
        """
        summary = ScanSummary()
        chunk: list[ParseResult] = []
        received, swapped = 0, False
        for result in results:
            chunk.append(result)
            received += 1
            if len(chunk) < FIRST_PASS_BATCH and received < len(sources):
                continue
            batch, _ = self._complete_results(root, chunk, sources, [], outcome)
            chunk = []
            swapped = swapped or os.path.realpath(self.folder) != str(root)
            if not swapped:
                _count(summary, publish_batch(root, batch, [], revision))
        if swapped:
            self.root, self._reread = None, True
        return self._summed(summary, outcome, started)

    def _summed(self, summary: ScanSummary, outcome: dict[str, str], started: float) -> ScanSummary:
        """Complete ``summary`` with the pass's outcomes and the database's totals."""
        self.waiting |= {loc for loc, what in outcome.items() if what == "waiting"}
        for what in outcome.values():
            setattr(summary, what, getattr(summary, what) + 1)
        summary.files = len(outcome)
        with read_session() as session:
            summary.dags = session.scalar(
                select(func.count()).select_from(Dag).where(Dag.is_active)
            )
            summary.import_errors = session.scalar(select(func.count()).select_from(DagImportError))
        summary.seconds = time.monotonic() - started
        return summary

    @staticmethod
    def _nothing_published() -> bool:
        """Whether the database holds no file and no visible DAG: a first pass."""
        with read_session() as session:
            return all(
                session.scalar(query.limit(1)) is None
                for query in (select(DagFile.id), select(Dag.dag_id).where(Dag.is_active))
            )

    def _known(self, only: set[str] | None) -> dict[str, str]:
        """fileloc -> content hash of every file the database knows (or of ``only``)."""
        query = select(DagFile.path, DagFile.content_hash)
        if only is not None:
            query = query.where(DagFile.path.in_(sorted(only)))
        with read_session() as session:  # Core rows, not ORM ones: this reads every file
            return dict(session.connection().execute(query).all())

    def _gone(self, missing: set[str], *, deferred: bool) -> list[str]:
        """The missing files that count as deleted now; the others wait."""
        if not deferred:
            self._missing_since.clear()
            return sorted(missing)
        now = time.monotonic()
        gone = []
        for loc in sorted(missing):
            if now - self._missing_since.setdefault(loc, now) >= self.settle:
                gone.append(loc)
                del self._missing_since[loc]
            else:
                self.waiting.add(loc)
        return gone

    def _read_complete(
        self, path: str, known_hash: str | None, *, force: bool, trusted: bool
    ) -> tuple[bytes, FileState] | None:
        """The file's bytes and stat if it changed, None if unchanged; raises _Waiting."""
        if self.tracker is not None and self.tracker.is_writing(path):
            raise _Waiting
        if time.monotonic() < self._not_before.get(path, 0.0):
            raise _Waiting
        before = FileState.of(path)
        if before is None and trusted:
            return None  # a broken link in a swapped-in revision: no file to read
        if before is None:
            raise _Waiting  # vanished meanwhile; the next pass decides
        cached = self._read.get(path)
        if not force and cached is not None and cached == (before, known_hash):
            return None
        proved = trusted or (self.tracker is not None and self.tracker.proved_complete(path))
        if not trusted and before.quiet_for() < (EVENT_LAG if proved else self.settle):
            raise _Waiting
        try:
            with open(path, "rb") as f:
                source = f.read()
        except OSError:
            if trusted:
                return None  # unreadable: keep what was published, never block the swap
            raise _Waiting from None
        if FileState.of(path) != before:
            raise _Waiting  # changed while it was read
        digest = content_hash(source)
        if before.quiet_for() >= CACHE_AFTER:  # a later write cannot share this mtime
            self._read[path] = (before, digest)
        if not force and digest == known_hash:
            return None
        return source, before

    def _parse(self, root: Path, sources: dict[Path, tuple[bytes, FileState]], progress):
        results = parse_files_in_background(
            sources, folder=root, workers=self.settings.parse_workers,
            timeout=self.settings.parse_timeout,
        )  # fmt: skip
        for done, result in enumerate(results, start=1):
            if progress is not None:
                progress(done, len(sources))
            yield result

    def _complete_results(
        self,
        root: Path,
        results: Iterable[ParseResult],
        sources: dict[Path, tuple[bytes, FileState]],
        gone: list[str],
        outcome: dict[str, str],
    ) -> tuple[list[tuple[Path, bytes, ParseResult]], set[str]]:
        """The results safe to publish, and the files (gone or parsed) whose
        publication frees DAG ids."""
        results = list(results)
        owned = self._active_dags({relative_fileloc(root, r.path) for r in results} | set(gone))
        freeing = {loc for loc in gone if owned.get(loc)}
        batch = []
        for result in results:
            loc = relative_fileloc(root, result.path)
            source, before = sources[result.path]
            dropped = (
                set() if result.error else owned.get(loc, set()) - {d.dag_id for d in result.dags}
            )
            if self._changed_since(str(result.path), before):
                outcome[loc] = "waiting"
                continue
            if dropped and before.quiet_for() < self.settle:
                # It hides DAGs and may be a truncated file still being written:
                # look again once it was quiet for the settle window.
                wait = self.settle - before.quiet_for()
                self._not_before[str(result.path)] = time.monotonic() + wait
                outcome[loc] = "waiting"
                continue
            self._not_before.pop(str(result.path), None)
            self._retry.discard(loc)
            outcome[loc] = "parsed"
            if dropped:
                freeing.add(loc)
            batch.append((result.path, source, result))
        return batch, freeing

    def _hold_back(
        self,
        batch: list[tuple[Path, bytes, ParseResult]],
        gone: list[str],
        freeing: set[str],
        outcome: dict[str, str],
    ) -> tuple[list[tuple[Path, bytes, ParseResult]], list[str]]:
        """The batch and gone files without those that free DAG ids: they wait a pass."""
        root = self.root
        assert root is not None
        kept = []
        for entry in batch:
            loc = relative_fileloc(root, entry[0])
            if loc in freeing:
                outcome[loc] = "waiting"
            else:
                kept.append(entry)
        now = time.monotonic()
        for loc in freeing.intersection(gone):
            self._missing_since[loc] = now - self.settle  # gone already: counts at once
            self.waiting.add(loc)
        return kept, [loc for loc in gone if loc not in freeing]

    def _changed_since(self, path: str, before: FileState) -> bool:
        writing = self.tracker is not None and self.tracker.is_writing(path)
        return writing or FileState.of(path) != before

    @staticmethod
    def _active_dags(filelocs: set[str]) -> dict[str, set[str]]:
        if not filelocs:
            return {}
        owned: dict[str, set[str]] = {}
        with read_session() as session:
            rows = session.execute(
                select(Dag.fileloc, Dag.dag_id).where(
                    Dag.is_active, Dag.fileloc.in_(sorted(filelocs))
                )
            )
            for fileloc, dag_id in rows:
                owned.setdefault(fileloc, set()).add(dag_id)
        return owned

    def _files_to_retry(
        self, root: Path, outcome: dict[str, str]
    ) -> tuple[dict[Path, tuple[bytes, FileState]], bool]:
        """Files with import errors, and files that define more DAGs than they own,
        that this pass has not read yet; and whether any of them, or any file the pass
        left waiting, cannot be read now (a file being written may be the new home of
        a released DAG, whatever it held before: an emptied file can be refilled)."""
        owned = (
            select(func.count())
            .select_from(Dag)
            .where(Dag.fileloc == DagFile.path, Dag.is_active)
            .scalar_subquery()
        )
        with read_session() as session:
            filelocs = set(session.scalars(select(DagImportError.fileloc)))
            filelocs |= set(session.scalars(select(DagFile.path).where(DagFile.dag_count > owned)))
        retry = {}
        unreadable = "waiting" in outcome.values()
        for loc in sorted(filelocs):
            path = root / loc
            if outcome.get(loc, "unchanged") != "unchanged" or not path.is_file():
                continue
            try:
                read = self._read_complete(str(path), None, force=True, trusted=False)
            except _Waiting:
                self._retry.add(loc)  # still being written: parse it once it is complete
                self.waiting.add(loc)
                unreadable = True
                continue
            if read is not None:
                retry[path] = read
        return retry, unreadable


def _count(summary: ScanSummary, publications: Iterable[Publication]) -> None:
    for publication in publications:
        summary.new_versions += publication.new_versions
        summary.errors += publication.error is not None


def scan(
    folder: Path | None = None,
    *,
    force: bool = False,
    only: Iterable[Path] | None = None,
    progress: Progress | None = None,
) -> ScanSummary:
    """Bring the database up to date with the DAG folder (or just the ``only`` paths).

    Files still being written are waited for (up to ``ONE_SHOT_PATIENCE``).
    """
    started = time.monotonic()
    scanner = Scanner(folder or load_settings().dags_folder)
    locs = None if only is None else [_fileloc(scanner.folder, Path(p)) for p in only]
    summary = scanner.run(locs, force=force, progress=progress)
    deadline = time.monotonic() + ONE_SHOT_PATIENCE
    while (scanner.waiting or scanner.root is None) and time.monotonic() < deadline:
        time.sleep(max(0.05, scanner.settle / 4))
        again = scanner.run(None if scanner.root is None else [], force=force, progress=progress)
        summary.parsed += again.parsed
        summary.unchanged += again.unchanged
        summary.waiting = again.waiting
        summary.files = summary.parsed + summary.unchanged + summary.waiting
        summary.deleted += again.deleted
        summary.new_versions += again.new_versions
        summary.errors += again.errors
        summary.dags, summary.import_errors = again.dags, again.import_errors
    summary.seconds = time.monotonic() - started
    return summary


def _fileloc(folder: Path, path: Path) -> str:
    for base in (folder, Path(os.path.realpath(folder))):
        if Path(os.path.abspath(path)).is_relative_to(base):
            return relative_fileloc(base, Path(os.path.abspath(path)))
    return str(path)

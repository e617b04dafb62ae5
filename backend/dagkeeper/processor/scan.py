"""One pass over the DAG folder: forget deleted files, then parse what changed.

Deletions go first so that a renamed file's DAGs are free to move to the new
name in the same pass. A file whose bytes are unchanged since its last parse
(same content hash) is not parsed and writes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from dagkeeper.config import load_settings
from dagkeeper.db import read_session
from dagkeeper.models import Dag, DagFile, DagImportError
from dagkeeper.processor.files import find_dag_files, is_dag_file
from dagkeeper.processor.isolation import parse_files_in_background
from dagkeeper.processor.publish import content_hash, forget_file, publish_file, relative_fileloc


class DagFolderError(RuntimeError):
    """The DAG folder is missing or not a folder: nothing can be parsed."""


@dataclass
class ScanSummary:
    files: int = 0  # DAG files considered in this pass
    parsed: int = 0
    unchanged: int = 0
    deleted: int = 0
    new_versions: int = 0
    errors: int = 0  # files that failed (or partly failed) to parse in this pass
    dags: int = 0  # active DAGs in the database after the pass
    import_errors: int = 0  # import errors in the database after the pass
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.files} files ({self.parsed} parsed, {self.unchanged} unchanged, "
            f"{self.deleted} deleted), {self.dags} DAGs, {self.new_versions} new versions, "
            f"{self.errors} errors in this pass ({self.import_errors} files with import errors), "
            f"{self.seconds:.2f} s"
        )


Progress = Callable[[int, int], None]  # (files done, files to parse)


def scan(
    folder: Path | None = None,
    *,
    force: bool = False,
    only: Iterable[Path] | None = None,
    progress: Progress | None = None,
) -> ScanSummary:
    """Bring the database up to date with the DAG folder (or just the ``only`` paths)."""
    started = time.monotonic()
    settings = load_settings()
    folder = Path(folder or settings.dags_folder).resolve()
    if not folder.is_dir():
        raise DagFolderError(f"DAG folder {folder} does not exist or is not a folder")
    summary = ScanSummary()
    if only is None:
        present = find_dag_files(folder)
    else:
        only = sorted({Path(p).resolve() for p in only})
        present = [p for p in only if p.is_file() and is_dag_file(folder, p)]
    with read_session() as session:
        query = select(DagFile.path, DagFile.content_hash)
        if only is not None:
            query = query.where(DagFile.path.in_([_fileloc(folder, p) for p in only]))
        known = dict(session.execute(query).all())
    present_locs = {relative_fileloc(folder, p) for p in present}
    freed = False
    for fileloc in sorted(set(known) - present_locs):
        freed |= bool(forget_file(fileloc))
        summary.deleted += 1
    to_parse: dict[Path, bytes] = {}
    for path in present:
        try:
            source = path.read_bytes()
        except OSError:
            continue  # vanished meanwhile; the next pass forgets it
        if force or known.get(relative_fileloc(folder, path)) != content_hash(source):
            to_parse[path] = source
        else:
            summary.unchanged += 1
    summary.files = len(present)
    freed |= _parse_and_publish(folder, to_parse, settings, summary, progress)
    if freed:
        # DAG ids were released: files that failed only because another file owned
        # one of their DAG ids may publish now.
        retry = _files_with_errors(folder, exclude=to_parse)
        _parse_and_publish(folder, retry, settings, summary, None)
    with read_session() as session:
        summary.dags = session.scalar(select(func.count()).select_from(Dag).where(Dag.is_active))
        summary.import_errors = session.scalar(select(func.count()).select_from(DagImportError))
    summary.seconds = time.monotonic() - started
    return summary


def _fileloc(folder: Path, path: Path) -> str:
    return relative_fileloc(folder, path) if path.is_relative_to(folder) else str(path)


def _parse_and_publish(folder, sources: dict[Path, bytes], settings, summary, progress) -> bool:
    """Parse ``sources`` in children and publish each result; returns whether DAGs were freed."""
    freed = False
    results = parse_files_in_background(
        sources, folder=folder, workers=settings.parse_workers, timeout=settings.parse_timeout
    )
    for done, result in enumerate(results, start=1):
        publication = publish_file(folder, result.path, sources[result.path], result)
        summary.parsed += 1
        summary.new_versions += publication.new_versions
        summary.errors += publication.error is not None
        freed |= bool(publication.deactivated)
        if progress is not None:
            progress(done, len(sources))
    return freed


def _files_with_errors(folder: Path, exclude: dict[Path, bytes]) -> dict[Path, bytes]:
    with read_session() as session:
        filelocs = session.scalars(select(DagImportError.fileloc)).all()
    retry = {}
    for fileloc in filelocs:
        path = folder / fileloc
        if path not in exclude and path.is_file():
            retry[path] = path.read_bytes()
    return retry

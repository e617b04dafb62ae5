"""Write everything derived from a batch of DAG files in one transaction (DESIGN.md 2, 9).

A reader sees a file's old state or its new state, never a mix: its DAG rows
and tags, new versions, source code, import-error state and deactivations
commit together, with the change-counter bump that tells browsers to refetch.
A batch (one checkout, one swapped revision) commits as a whole the same way.

A batch is also one flush: its DAG rows are read up front (:class:`_Batch`),
and what one file publishes is known to the next without writing it first, so
a first pass inserts a hundred files' rows in a handful of statements instead
of eight per file (profiled: the flushes were most of a new file's cost).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from dagkeeper.db import transaction
from dagkeeper.models import (
    ChangeKind,
    Dag,
    DagCode,
    DagFile,
    DagImportError,
    DagTag,
    DagVersion,
    record_change,
    utcnow,
)
from dagkeeper.models.access import publish_grants
from dagkeeper.models.asset_events import publish_dag_assets
from dagkeeper.models.variable import record_parse_reads
from dagkeeper.next_run import last_interval, next_run, store_next_run, timetable_of
from dagkeeper.processor.isolation import ImportFailure, ParsedDag, ParseResult
from dagkeeper.processor.revision import Revision
from dagkeeper.serialization import DagDocument, digest, loads
from dagkeeper.serialization.assets import describe as describe_asset_schedule


@dataclass
class Publication:
    """What one publication did, for the pass summary."""

    fileloc: str
    dag_ids: list[str] = field(default_factory=list)
    new_versions: int = 0
    error: str | None = None
    deactivated: list[str] = field(default_factory=list)
    conflicts: bool = False  # some DAG ids were refused: another file owns them
    changes: list[tuple[str | None, str]] = field(default_factory=list)


@dataclass
class _Batch:
    """What a batch's publications know that the database does not show before its flush."""

    dags: dict[str, Dag]  # every DAG row the batch names: read up front, or created by it
    hashes: dict[str, str]  # dag_id -> hash of its current version, new ones included
    files: set[str] = field(default_factory=set)  # filelocs given a dag_file row by the batch

    @classmethod
    def read(cls, session: Session, parsed: list[tuple[Path, bytes, ParseResult]]) -> _Batch:
        """The rows (with their tags) and current hashes of every DAG id ``parsed`` names."""
        ids = sorted({dag.dag_id for _, _, result in parsed for dag in result.dags})
        batch = cls({}, {})
        for chunk in _chunks(ids):
            rows = session.execute(
                select(Dag, DagVersion.hash)
                .outerjoin(DagVersion, DagVersion.id == Dag.current_version_id)
                .where(Dag.dag_id.in_(chunk))
                .options(selectinload(Dag.tags))
            )
            for dag, current_hash in rows:
                batch.dags[dag.dag_id] = dag
                if current_hash is not None:
                    batch.hashes[dag.dag_id] = current_hash
        return batch


def _chunks(values: list[str], size: int = 500):
    """``values`` in slices small enough for one ``IN`` list."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def content_hash(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


def relative_fileloc(folder: Path, path: Path) -> str:
    return path.relative_to(folder).as_posix()


def publish_batch(
    folder: Path,
    parsed: list[tuple[Path, bytes, ParseResult]],
    gone: list[str],
    revision: Revision | None = None,
) -> list[Publication]:
    """Publish parse results and forget vanished files, all in one transaction.

    A reader sees the batch's old state or its new state: a DAG moved from one
    file to another (or a symlink swapped to a new revision) never shows the
    DAG missing, twice, or a mix of two revisions. ``folder`` is the real folder
    the batch was read from.
    """
    if not parsed and not gone:
        return []
    now = utcnow()
    changes: list[tuple[str | None, str]] = []
    with transaction() as session:
        freed = False
        for fileloc in gone:
            freed |= bool(_forget(session, fileloc, changes))
        seen = _seen_files(session, [relative_fileloc(folder, path) for path, _, _ in parsed])
        batch = _Batch.read(session, parsed)
        publications = {}
        for path, source, result in parsed:
            seen_before = relative_fileloc(folder, path) in seen
            publication = publish_file(
                session, batch, folder, path, source, result, now, revision, seen_before=seen_before
            )
            publications[path] = publication
            freed |= bool(publication.deactivated)
            changes += publication.changes
        if freed:
            # A file published before a DAG id was dropped by a later one may take it now.
            session.flush()  # what it queries must show the whole batch
            for path, source, result in parsed:
                if publications[path].conflicts:
                    publication = publish_file(
                        session, batch, folder, path, source, result, now, revision
                    )
                    publications[path] = publication
                    changes += publication.changes
        if changes:
            record_change(session, changes)
    return list(publications.values())


def publish_file(
    session: Session,
    batch: _Batch,
    folder: Path,
    path: Path,
    source: bytes,
    result: ParseResult,
    now: datetime,
    revision: Revision | None = None,
    *,
    seen_before: bool = True,
) -> Publication:
    """Publish one parse result of ``path`` (whose bytes were ``source``) in ``session``,
    as part of ``batch`` (nothing is flushed: the next file learns from ``batch``).

    ``seen_before=False``: no row names the file (:func:`_seen_files`), so there is
    nothing of it to look up: a first pass publishes thousands of such files.
    """
    fileloc = relative_fileloc(folder, path)
    with session.no_autoflush:
        publication = Publication(fileloc)
        changes = publication.changes
        owned, file_row = {}, None
        if seen_before:
            # Its rows as this batch left them: another file of it may have taken a DAG.
            owned = {
                d.dag_id: d
                for d in session.scalars(select(Dag).where(Dag.fileloc == fileloc))
                if d.fileloc == fileloc
            }
            # A file without a row is new (or was forgotten, its rows with it): nothing of
            # it, import error or parse-time reads, is there to replace.
            file_row = session.scalar(select(DagFile).where(DagFile.path == fileloc))
        error, documents = result.error, {}
        if error is None:
            try:
                documents = _decoded(batch, result.dags)
            except ValueError as exc:  # the child sent a document that does not hold
                error = ImportFailure(f"{fileloc}: {type(exc).__name__}: {exc}", "")
        if error is not None:
            flagged = [d for d in owned.values() if d.is_active]
            for dag in flagged:
                dag.has_import_errors = True
                dag.last_parsed_at = now
            changes += [(d.dag_id, ChangeKind.DAG) for d in flagged]
            dag_count = len(flagged)
        else:
            code = _code_for(session, fileloc, source, seen_before)
            conflicts = _publish_dags(
                session, batch, folder, code, documents, now, publication, revision
            )
            for dag in owned.values():
                if dag.is_active and dag.dag_id not in publication.dag_ids:
                    dag.is_active = False
                    publication.deactivated.append(dag.dag_id)
            changes += [(d, ChangeKind.DAG) for d in publication.dag_ids + publication.deactivated]
            error = ImportFailure(f"{fileloc}: " + "; ".join(conflicts), "") if conflicts else None
            publication.conflicts = bool(conflicts)
            dag_count = len(publication.dag_ids)
        publication.error = error.message if error else None
        known = file_row is not None
        if (error or known) and _set_import_error(session, fileloc, error, now):
            changes.append((None, ChangeKind.IMPORT_ERROR))
        if file_row is None:
            file_row = DagFile(path=fileloc)
            session.add(file_row)
            batch.files.add(fileloc)
        file_row.content_hash = content_hash(source)
        file_row.last_parsed_at = now
        file_row.last_duration = result.duration
        file_row.dag_count = dag_count
        record_parse_reads(session, fileloc, result.variables, known=known)
    return publication


def _decoded(
    batch: _Batch, parsed: list[ParsedDag]
) -> dict[str, tuple[ParsedDag, DagDocument, bool]]:
    """Each DAG's document, decoded once, and whether it is a new version; raises ValueError.

    A new version is validated here, in the processor, before any of its file's rows
    are written: the child's own serializer ran beside the DAG file's code, which
    may have changed it, so what the child sends is checked, not trusted.
    """
    decoded = {}
    for item in parsed:
        is_new = batch.hashes.get(item.dag_id) != digest(item.document)
        document = loads(item.document, validate=is_new)
        if document.dag_id != item.dag_id:
            raise ValueError(f"the document of DAG {item.dag_id!r} names {document.dag_id!r}")
        decoded[item.dag_id] = (item, document, is_new)
    return decoded


def _forget(session: Session, fileloc: str, changes: list[tuple[str | None, str]]) -> list[str]:
    """A file is gone (or now ignored): deactivate its DAGs, drop its file and error rows."""
    dags = session.scalars(select(Dag).where(Dag.fileloc == fileloc, Dag.is_active)).all()
    for dag in dags:
        dag.is_active = False
    changes += [(d.dag_id, ChangeKind.DAG) for d in dags]
    if session.execute(delete(DagImportError).where(DagImportError.fileloc == fileloc)).rowcount:
        changes.append((None, ChangeKind.IMPORT_ERROR))
    session.execute(delete(DagFile).where(DagFile.path == fileloc))
    record_parse_reads(session, fileloc, ())
    session.flush()
    return [d.dag_id for d in dags]


def _owned_elsewhere(
    session: Session, batch: _Batch, folder: Path, dag: Dag | None, fileloc: str
) -> bool:
    """Whether another file that still exists already owns this DAG (the owner keeps it)."""
    if dag is None or dag.fileloc == fileloc or not dag.is_active:
        return False
    known = dag.fileloc in batch.files or (
        session.scalar(select(DagFile.id).where(DagFile.path == dag.fileloc)) is not None
    )
    return known and (folder / dag.fileloc).is_file()


def _publish_dags(
    session: Session,
    batch: _Batch,
    folder: Path,
    code: DagCode,
    documents: dict[str, tuple[ParsedDag, DagDocument, bool]],
    now: datetime,
    publication: Publication,
    revision: Revision | None,
) -> list[str]:
    """Upsert each DAG of a successful parse of ``code``; return conflict messages for
    duplicated ids."""
    fileloc = code.fileloc
    existing = {dag_id: batch.dags[dag_id] for dag_id in documents if dag_id in batch.dags}
    taken = {
        dag_id
        for dag_id in documents
        if _owned_elsewhere(session, batch, folder, existing.get(dag_id), fileloc)
    }
    for item, document, is_new in documents.values():
        if item.dag_id in taken:
            continue
        dag = existing.get(item.dag_id)
        created = dag is None
        if dag is None:
            dag = Dag(
                dag_id=item.dag_id,
                fileloc=fileloc,
                version_number=0,
                # the DAG's is_paused_upon_creation decides, only when the row is created
                is_paused=bool(document.is_paused_upon_creation),
                created_at=now,
            )
            session.add(dag)
            batch.dags[item.dag_id] = dag
        _upsert_dag(session, dag, item, document, is_new, code, now, revision, bool(taken), created)
        if is_new:
            batch.hashes[item.dag_id] = dag.current_version.hash
        publication.new_versions += is_new
        publication.dag_ids.append(item.dag_id)
    conflicts = [
        f"DAG {dag_id!r} is already defined in {existing[dag_id].fileloc}"
        for dag_id in sorted(taken)
    ]
    return conflicts


def _code_for(session: Session, fileloc: str, source: bytes, seen_before: bool) -> DagCode:
    """The file's code row for ``source``; a new one is written with the file's DAG rows."""
    source_hash = content_hash(source)
    code = None
    if seen_before:
        code = session.scalar(
            select(DagCode).where(DagCode.fileloc == fileloc, DagCode.source_hash == source_hash)
        )
    if code is None:
        code = DagCode(
            fileloc=fileloc, source_hash=source_hash, source=source.decode("utf-8", "replace")
        )
        session.add(code)
    return code


def _seen_files(session: Session, filelocs: list[str]) -> set[str]:
    """The files some row names: a DAG, a file, an import error or a code row."""
    seen: set[str] = set()
    for column in (Dag.fileloc, DagFile.path, DagImportError.fileloc, DagCode.fileloc):
        for chunk in _chunks(filelocs):
            seen.update(session.scalars(select(column).where(column.in_(chunk)).distinct()))
    return seen


def _upsert_dag(
    session: Session,
    dag: Dag,
    item: ParsedDag,
    document: DagDocument,
    is_new: bool,
    code: DagCode,
    now: datetime,
    revision: Revision | None,
    has_errors: bool,
    created: bool,
) -> None:
    """Bring one ``dag`` row up to date, with a new version when its document changed
    (``created``: the row is new in this transaction)."""
    dag.fileloc = code.fileloc
    dag.is_active = True
    dag.has_import_errors = has_errors
    dag.last_parsed_at = now
    _apply_attributes(session, dag, document)
    if document.asset_condition is not None:
        timed = None if document.schedule["kind"] == "none" else dag.schedule_summary
        dag.schedule_summary = describe_asset_schedule(document.asset_condition, timed)
    publish_grants(session, dag.dag_id, document.access_control, created=created)
    if not is_new:
        current = dag.current_version
        if code.id is None or current.dag_code_id != code.id:
            # Same DAG, edited source (a comment, say): show the code that is on disk.
            current.code = code
        return
    version = DagVersion.build(
        item.document,
        document,
        version_number=dag.version_number + 1,
        dag=dag,
        code=code,
        revision=revision.target if revision else None,
        git_commit=revision.commit if revision else None,
        created_at=now,
    )
    session.add(version)
    dag.current_version = version
    dag.version_number = version.version_number
    publish_dag_assets(session, dag.dag_id, document, created=created)


def _schedule_fields(schedule: dict[str, Any]) -> tuple[str, str | None]:
    """The ``dag`` row's kind and expression as written (cut to the column's 100 characters)."""
    kind = schedule["kind"]
    if kind in ("timedelta", "delta_trigger"):
        return kind, str(timedelta(seconds=schedule["seconds"]))
    if kind == "multi_cron_trigger":
        return kind, ", ".join(schedule["expressions"])[:100]
    if kind == "events":
        return kind, f"{len(schedule['events'])} events"
    return kind, schedule["expression"]


def _apply_attributes(session: Session, dag: Dag, doc: DagDocument) -> None:
    """Copy the list-level fields of a document onto its ``dag`` row."""
    kind, expression = _schedule_fields(doc.schedule)
    start_date, end_date = doc.start_date, doc.end_date
    timetable = timetable_of(doc)
    summary = timetable.summary[:250]
    when = (kind, expression, summary, doc.timezone, start_date, end_date, bool(doc.catchup))
    before = (
        dag.schedule_kind,
        dag.schedule_expression,
        dag.schedule_summary,
        dag.timezone,
        dag.start_date,
        dag.end_date,
        bool(dag.catchup),
    )
    dag.description = doc.description
    dag.owners = ",".join(sorted(doc.owners))
    dag.schedule_kind, dag.schedule_expression = kind, expression
    dag.schedule_summary = summary
    dag.timezone = doc.timezone
    dag.start_date, dag.end_date = start_date, end_date
    dag.catchup = doc.catchup
    dag.max_active_runs = doc.max_active_runs
    dag.max_active_tasks = doc.max_active_tasks
    _sync_tags(dag, doc.tags)
    # The scheduler advances the next-run fields once runs exist; the processor
    # plans them for a new DAG and re-plans them when the schedule itself changed.
    if when != before or dag.next_dagrun is None:
        # A version an earlier file of this batch added has no id before the flush.
        is_new = dag.current_version_id is None and dag.current_version is None
        last = None if is_new else last_interval(session, dag.dag_id)
        if when != before or last is None:
            store_next_run(dag, next_run(doc, timetable, last, utcnow()))


def _sync_tags(dag: Dag, names: list[str]) -> None:
    wanted = set(names)
    for tag in [t for t in dag.tags if t.name not in wanted]:
        dag.tags.remove(tag)
    have = {t.name for t in dag.tags}
    dag.tags.extend(DagTag(name=name) for name in sorted(wanted - have))


def _set_import_error(
    session: Session, fileloc: str, error: ImportFailure | None, now: datetime
) -> bool:
    """Upsert or clear the file's import error; returns whether what users see changed."""
    row = session.scalar(select(DagImportError).where(DagImportError.fileloc == fileloc))
    if error is None:
        if row is None:
            return False
        session.delete(row)
        return True
    if row is None:
        session.add(
            DagImportError(
                fileloc=fileloc, message=error.message, stacktrace=error.stacktrace, timestamp=now
            )
        )
        return True
    changed = (row.message, row.stacktrace) != (error.message, error.stacktrace)
    row.message, row.stacktrace, row.timestamp = error.message, error.stacktrace, now
    return changed

"""Immutable DAG versions, the source code they came from, and parsed files."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dagkeeper.models.base import Base, utcnow
from dagkeeper.serialization import DagDocument, derive, digest, loads

if TYPE_CHECKING:
    from dagkeeper.models.dag import Dag


class DagCode(Base):
    """Source text of a DAG file, shared by every version parsed from that text."""

    __tablename__ = "dag_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    fileloc: Mapped[str] = mapped_column(String(1000))
    source_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("fileloc", "source_hash"),)


class DagVersion(Base):
    """One immutable serialized document of a DAG (DESIGN.md invariant 5).

    ``document`` holds the canonical JSON bytes (as text) whose SHA-256 is
    ``hash``. What is derived from it is computed once, by :meth:`build`:
    ``structure`` (the graph/tree JSON the UI reads in one row, never
    re-encoded), ``task_order`` (the grid's rows) and ``relations`` (upstream,
    downstream, run order), which :meth:`read` hands back with the document.
    """

    __tablename__ = "dag_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    dag_id: Mapped[str] = mapped_column(ForeignKey("dag.dag_id", ondelete="CASCADE"))
    version_number: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)
    structure: Mapped[str] = mapped_column(Text)
    task_order: Mapped[str] = mapped_column(Text)  # JSON list of task ids in tree order
    relations: Mapped[str] = mapped_column(Text)
    task_count: Mapped[int] = mapped_column(Integer, default=0)
    dag_code_id: Mapped[int] = mapped_column(ForeignKey("dag_code.id"))
    # Which checkout of the DAG folder produced it: the symlink target the
    # processor read (git-sync swaps one per revision) and the git commit.
    revision: Mapped[str | None] = mapped_column(String(1000))
    git_commit: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # For the processor's one flush per batch: the DAG's row and the code row go first.
    dag: Mapped[Dag] = relationship()
    code: Mapped[DagCode] = relationship()

    __table_args__ = (UniqueConstraint("dag_id", "version_number"),)

    @classmethod
    def build(cls, data: bytes, document: DagDocument, **columns) -> DagVersion:
        """A new version of validated document bytes ``data`` (``document`` is their parse)."""
        derived = derive(document)
        return cls(
            dag_id=document.dag_id,
            hash=digest(data),
            document=data.decode(),
            structure=derived.structure.decode(),
            task_order=derived.task_order.decode(),
            relations=derived.relations.decode(),
            task_count=len(document.tasks),
            **columns,
        )

    def read(self) -> DagDocument:
        """The stored document, typed, with its stored relations (validated when published)."""
        return read_document(self.document, self.relations)


def read_document(document: str, relations: str) -> DagDocument:
    """The one reader of stored ``dag_version`` columns (for queries that select only them)."""
    return loads(document, validate=False, relations=relations)


class DagFile(Base):
    """A file in the DAG folder as last seen by the processor."""

    __tablename__ = "dag_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), unique=True)  # relative to the DAG folder
    content_hash: Mapped[str] = mapped_column(String(64))
    last_parsed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_duration: Mapped[float] = mapped_column(Float, default=0.0)
    dag_count: Mapped[int] = mapped_column(Integer, default=0)


class DagImportError(Base):
    """The current import error of a file; deleted by the next successful parse."""

    __tablename__ = "import_error"

    id: Mapped[int] = mapped_column(primary_key=True)
    fileloc: Mapped[str] = mapped_column(String(1000), unique=True)
    message: Mapped[str] = mapped_column(Text)  # one line: "file.py:12: SyntaxError: ..."
    stacktrace: Mapped[str] = mapped_column(Text)
    timestamp: Mapped[datetime] = mapped_column(default=utcnow)

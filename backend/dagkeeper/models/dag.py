"""The ``dag`` table (list-level fields, flags, next-run fields) and ``dag_tag``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dagkeeper.models.base import Base, utcnow

if TYPE_CHECKING:
    from dagkeeper.models.version import DagVersion


class Dag(Base):
    __tablename__ = "dag"

    dag_id: Mapped[str] = mapped_column(String(250), primary_key=True)
    description: Mapped[str | None] = mapped_column(Text)
    fileloc: Mapped[str] = mapped_column(String(1000), index=True)  # relative to the DAG folder
    owners: Mapped[str] = mapped_column(String(500), default="")  # comma-separated, sorted
    is_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    has_import_errors: Mapped[bool] = mapped_column(Boolean, default=False)

    schedule_kind: Mapped[str] = mapped_column(String(20))  # serialization.schemas.SCHEDULE_KINDS
    schedule_expression: Mapped[str | None] = mapped_column(String(100))  # as written
    schedule_summary: Mapped[str | None] = mapped_column(String(250))  # human summary
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    start_date: Mapped[datetime | None]
    end_date: Mapped[datetime | None]
    catchup: Mapped[bool] = mapped_column(Boolean, default=False)
    max_active_runs: Mapped[int] = mapped_column(Integer, default=16)
    max_active_tasks: Mapped[int] = mapped_column(Integer, default=16)

    next_dagrun: Mapped[datetime | None]
    next_dagrun_data_interval_start: Mapped[datetime | None]
    next_dagrun_data_interval_end: Mapped[datetime | None]
    next_dagrun_create_after: Mapped[datetime | None] = mapped_column(index=True)

    # No foreign key: dag and dag_version would reference each other.
    current_version_id: Mapped[int | None] = mapped_column(Integer)
    version_number: Mapped[int] = mapped_column(Integer, default=0)
    last_parsed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # The processor's link from a DAG to a version it adds: a batch of new DAGs and
    # their versions is one flush, the rows inserted first and each DAG's
    # current_version_id written after (post_update: the two tables reference each other).
    current_version: Mapped[DagVersion | None] = relationship(
        primaryjoin="foreign(Dag.current_version_id) == DagVersion.id", post_update=True
    )
    tags: Mapped[list[DagTag]] = relationship(
        back_populates="dag", cascade="all, delete-orphan", order_by="DagTag.name"
    )

    __table_args__ = (Index("ix_dag_active_paused", "is_active", "is_paused", "dag_id"),)


class DagTag(Base):
    __tablename__ = "dag_tag"

    dag_id: Mapped[str] = mapped_column(
        ForeignKey("dag.dag_id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100), primary_key=True)

    dag: Mapped[Dag] = relationship(back_populates="tags")


# The DAG list's default order (dag_id) and its "-next_dagrun" order walk these and stop
# after a page instead of sorting every active DAG (docs/PROFILE.md: 10,000 DAGs).
# Declared as PostgreSQL has it; SQLite's (migration 0019c) is plain DESC, which puts
# NULLs last there already and is all its CREATE INDEX accepts.
Index("ix_dag_active_dag_id", Dag.is_active, Dag.dag_id)
Index("ix_dag_active_next_dagrun", Dag.is_active, Dag.next_dagrun.desc().nulls_last(), Dag.dag_id)
Index("ix_dag_active_owners", Dag.is_active, Dag.owners, Dag.dag_id)
# The tag filter's count reads the DAG ids of a tag from this index alone (at 100,000 DAGs
# a plain ``name`` index made it fetch every matching row from the table).
Index("ix_dag_tag_name_dag_id", DagTag.name, DagTag.dag_id)
# The list's search (a substring of dag_id or description in any case: ``ILIKE '%...%'``)
# reads these trigram indexes instead of every row of 100,000 DAGs (issue 19).
# PostgreSQL only (pg_trgm); SQLite scans the table.
for _column in (Dag.dag_id, Dag.description):
    Index(
        f"ix_dag_{_column.key}_trgm",
        _column,
        postgresql_using="gin",
        postgresql_ops={_column.key: "gin_trgm_ops"},
    ).ddl_if(dialect="postgresql")

"""Named read queries the web views need, next to the models they read.

They select only the columns a view shows and return plain rows, because the
hot pages (DAG list, grid) must stay a handful of indexed reads at any size.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session

from dagkeeper.models.access import readable
from dagkeeper.models.dag import Dag, DagTag
from dagkeeper.models.dag_counts import counted_dags
from dagkeeper.models.run import DagRun, RunType
from dagkeeper.models.run_grid import stored_cells
from dagkeeper.models.task_instance import TaskInstance
from dagkeeper.models.version import DagVersion, read_document
from dagkeeper.serialization import DagDocument

RECENT_RUNS = 10


@dataclass(frozen=True)
class DagFilters:
    search: str | None = None
    tags: Sequence[str] = ()
    paused: bool | None = None
    only_active: bool = True
    has_import_errors: bool | None = None
    readable_by: Sequence[str] | None = None  # principals; None: every DAG


def _latest_run_column(column) -> ColumnElement:
    """A correlated subquery: ``column`` of the DAG's newest run (by logical date)."""
    return (
        select(column)
        .where(DagRun.dag_id == Dag.dag_id)
        .order_by(DagRun.logical_date.desc())
        .limit(1)
        .correlate(Dag)
        .scalar_subquery()
    )


DAG_ORDERINGS = {
    "dag_id": lambda: Dag.dag_id,
    "next_dagrun": lambda: Dag.next_dagrun,
    "owners": lambda: Dag.owners,
    "last_run_state": lambda: _latest_run_column(DagRun.state),
    "last_run_date": lambda: _latest_run_column(DagRun.logical_date),
}


def count_dags(session: Session, filters: DagFilters) -> int:
    """``total_entries``: summed from the maintained counts where the filter is one they key."""
    if (
        filters.readable_by is None and filters.only_active and not filters.search
        and filters.has_import_errors is None and len(filters.tags) <= 1
    ):  # fmt: skip
        return counted_dags(session, filters.tags[0] if filters.tags else None, filters.paused)
    count, _page = _list_statements(_shape(filters), "dag_id")
    return session.connection().execute(count, _values(filters)).scalar_one()


def select_dag_page(
    session: Session, filters: DagFilters, order_by: str, limit: int, offset: int
) -> list[Row]:
    """One page of DAG rows (plain rows with the ``dag`` columns as attributes).

    ``order_by`` is a key of DAG_ORDERINGS with optional ``-``. Core rows, not
    ORM objects: building entities costs more than the query on this hot page.
    """
    _count, page = _list_statements(_shape(filters), order_by)
    values = _values(filters) | {"limit": limit, "offset": offset}
    return session.connection().execute(page, values).all()


# The ``dag`` columns the list shows (``api/schemas/dags.py DagSchema``). Reading the
# others too (five timestamps among them) cost a tenth of an uncached list's CPU in
# result processing, for values never sent (docs/PROFILE.md).
LIST_COLUMNS = (
    "dag_id", "description", "owners", "fileloc", "is_paused", "is_active",
    "has_import_errors", "schedule_kind", "schedule_expression", "schedule_summary",
    "next_dagrun", "next_dagrun_data_interval_start", "next_dagrun_data_interval_end",
    "next_dagrun_create_after", "version_number", "max_active_runs",
)  # fmt: skip


# The list's statements depend on which filters are given, not on their values: one pair
# per shape is built on first use with every value a bound parameter, so a request only
# binds values. Building them per request cost about as much CPU as running them
# (docs/PROFILE.md). Only statements are kept here, never a result.
ListShape = tuple[bool, bool, bool, bool, bool, bool]


def _shape(filters: DagFilters) -> ListShape:
    return (
        filters.readable_by is not None, filters.only_active, filters.paused is not None,
        filters.has_import_errors is not None, bool(filters.search), bool(filters.tags),
    )  # fmt: skip


def _values(filters: DagFilters) -> dict[str, Any]:
    pattern = filters.search and LIKE_SPECIAL.sub(r"/\g<0>", filters.search)
    return {
        "principals": list(filters.readable_by or ()), "paused": filters.paused,
        "has_import_errors": filters.has_import_errors, "pattern": f"%{pattern}%",
        "tags": list(filters.tags),
    }  # fmt: skip


LIKE_SPECIAL = re.compile(r"[/%_]")  # escaped with "/", as the LIKE clauses below declare


@functools.cache
def _list_statements(shape: ListShape, order_by: str) -> tuple[Select[Any], Select[Any]]:
    """The count and the page statement of one filter shape and order."""
    restricted, only_active, paused, errors, searching, tagged = shape
    conditions: list[ColumnElement[bool]] = []
    if restricted:
        conditions.append(readable(Dag.dag_id, bindparam("principals", expanding=True)))
    if only_active:
        conditions.append(Dag.is_active.is_(True))
    if paused:
        conditions.append(Dag.is_paused == bindparam("paused"))
    if errors:
        conditions.append(Dag.has_import_errors == bindparam("has_import_errors"))
    if searching:
        # ILIKE on PostgreSQL, which its trigram indexes serve (migration 0020c);
        # lower() LIKE lower() on SQLite
        pattern = bindparam("pattern")
        conditions.append(
            or_(Dag.dag_id.ilike(pattern, escape="/"), Dag.description.ilike(pattern, escape="/"))
        )
    counted, paged = list(conditions), list(conditions)
    if tagged:
        # The same filter, said two ways: the page walks its order's index and probes each
        # DAG's tags until the page is full; the count starts from the tag's
        # ``(name, dag_id)`` index (SQLite's plan for EXISTS walked every active DAG instead:
        # 3.5 ms against 1.2 ms for a tag of 2,800 of 10,000 DAGs).
        tags = bindparam("tags", expanding=True)
        counted.append(Dag.dag_id.in_(select(DagTag.dag_id).where(DagTag.name.in_(tags))))
        paged.append(exists().where(DagTag.dag_id == Dag.dag_id, DagTag.name.in_(tags)))
    column = DAG_ORDERINGS[order_by.lstrip("-")]()
    ordering = column.desc() if order_by.startswith("-") else column.asc()
    count = select(func.count()).select_from(Dag).where(*counted)
    page = (
        select(*(Dag.__table__.c[name] for name in LIST_COLUMNS))
        .where(*paged)
        .order_by(ordering.nulls_last(), Dag.dag_id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return count, page


# The list page's fixed-shape statements are built once with their values as bound
# parameters: building them per request cost more CPU than running them (docs/PROFILE.md).
_TAGS_OF = (
    select(DagTag.dag_id, DagTag.name)
    .where(DagTag.dag_id.in_(bindparam("dag_ids", expanding=True)))
    .order_by(DagTag.name)
)
_RANKED = (
    select(
        DagRun.dag_id,
        DagRun.run_id,
        DagRun.state,
        DagRun.logical_date,
        func.row_number()
        .over(partition_by=DagRun.dag_id, order_by=DagRun.logical_date.desc())
        .label("rank"),
    )
    .where(DagRun.dag_id.in_(bindparam("dag_ids", expanding=True)))
    .subquery()
)
_RECENT_RUNS = (
    select(_RANKED.c.dag_id, _RANKED.c.run_id, _RANKED.c.state, _RANKED.c.logical_date)
    .where(_RANKED.c.rank <= bindparam("per_dag"))
    .order_by(_RANKED.c.dag_id, _RANKED.c.logical_date)
)


def tags_of(session: Session, dag_ids: Sequence[str]) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {dag_id: [] for dag_id in dag_ids}
    rows = session.connection().execute(_TAGS_OF, {"dag_ids": list(dag_ids)})
    for dag_id, name in rows:
        tags[dag_id].append(name)
    return tags


def recent_runs_of(
    session: Session, dag_ids: Sequence[str], per_dag: int = RECENT_RUNS
) -> dict[str, list[Row]]:
    """The newest ``per_dag`` runs of each DAG, oldest first, in ONE query (row_number)."""
    rows = session.connection().execute(
        _RECENT_RUNS, {"dag_ids": list(dag_ids), "per_dag": per_dag}
    )
    runs: dict[str, list[Row]] = {dag_id: [] for dag_id in dag_ids}
    for row in rows:
        runs[row.dag_id].append(row)
    return runs


def get_version(session: Session, dag_id: str, version_number: int | None) -> DagVersion | None:
    """A DAG's version by number, or its current version when ``version_number`` is None."""
    if version_number is None:
        version_id = session.scalar(select(Dag.current_version_id).where(Dag.dag_id == dag_id))
        return session.get(DagVersion, version_id) if version_id is not None else None
    return session.scalar(
        select(DagVersion).where(
            DagVersion.dag_id == dag_id, DagVersion.version_number == version_number
        )
    )


def version_of_run(session: Session, dag_id: str, run_id: str) -> DagVersion | None:
    return session.scalar(
        select(DagVersion)
        .join(DagRun, DagRun.dag_version_id == DagVersion.id)
        .where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)
    )


RUN_ORDERINGS = ("logical_date", "start_date", "end_date", "queued_at", "state", "run_id")
NEWEST_RUN_FIRST = "-logical_date"  # the runs list's default order


@dataclass(frozen=True)
class RunFilters:
    states: Sequence[str] = ()
    run_type: str | None = None
    logical_date_gte: datetime | None = None
    logical_date_lte: datetime | None = None


def _run_conditions(dag_id: str, filters: RunFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [DagRun.dag_id == dag_id]
    if filters.states:
        conditions.append(DagRun.state.in_(list(filters.states)))
    if filters.run_type:
        conditions.append(DagRun.run_type == filters.run_type)
    if filters.logical_date_gte:
        conditions.append(DagRun.logical_date >= filters.logical_date_gte)
    if filters.logical_date_lte:
        conditions.append(DagRun.logical_date <= filters.logical_date_lte)
    return conditions


RUN_BATCH = 50


def run_page(
    session: Session, dag_id: str, filters: RunFilters, order_by: str, limit: int, offset: int
) -> tuple[int, Iterator[tuple[DagRun, int]]]:
    """Total and one page of ``(run, version_number)`` pairs, read in batches as iterated.

    Iterate it while ``session`` is open; a page of large confs is never in memory at once.
    """
    conditions = _run_conditions(dag_id, filters)
    total = session.scalar(select(func.count()).select_from(DagRun).where(*conditions))
    rows = session.execute(
        _ordered_runs(conditions, order_by)
        .limit(limit)
        .offset(offset)
        .execution_options(yield_per=RUN_BATCH)
    )
    return total, ((run, number) for run, number in rows)


def newest_run(session: Session, dag_id: str) -> tuple[DagRun, int] | None:
    """The run the runs list shows first by default: what a view opens when none is chosen."""
    query = _ordered_runs(_run_conditions(dag_id, RunFilters()), NEWEST_RUN_FIRST).limit(1)
    row = session.execute(query).first()
    return (row[0], row[1]) if row else None


def _ordered_runs(
    conditions: list[ColumnElement[bool]], order_by: str
) -> Select[tuple[DagRun, int]]:
    column = getattr(DagRun, order_by.lstrip("-"))
    ordering = column.desc() if order_by.startswith("-") else column.asc()
    return (
        select(DagRun, DagVersion.version_number)
        .join(DagVersion, DagVersion.id == DagRun.dag_version_id)
        .where(*conditions)
        .order_by(ordering.nulls_last(), DagRun.id)
    )


def get_run(session: Session, dag_id: str, run_id: str) -> tuple[DagRun, int] | None:
    row = session.execute(
        select(DagRun, DagVersion.version_number)
        .join(DagVersion, DagVersion.id == DagRun.dag_version_id)
        .where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)
    ).first()
    return (row[0], row[1]) if row else None


def get_task_instance(
    session: Session, dag_id: str, run_id: str, task_id: str, map_index: int = -1
) -> tuple[TaskInstance, str] | None:
    """The task instance (map index ``map_index`` of a mapped task) and its run's ``run_id``."""
    row = session.execute(
        select(TaskInstance, DagRun.run_id)
        .join(DagRun, DagRun.id == TaskInstance.dag_run_id)
        .where(
            DagRun.dag_id == dag_id,
            DagRun.run_id == run_id,
            TaskInstance.task_id == task_id,
            TaskInstance.map_index == map_index,
        )
    ).first()
    return (row[0], row[1]) if row else None


def grid_runs(
    session: Session, dag_id: str, limit: int, before: datetime | None, run_id: str | None = None
) -> tuple[list[Row], bool]:
    """The newest ``limit`` runs (optionally older than ``before``, or just ``run_id``), oldest first."""
    conditions = [DagRun.dag_id == dag_id]
    if before is not None:
        conditions.append(DagRun.logical_date < before)
    if run_id is not None:
        conditions.append(DagRun.run_id == run_id)
    rows = session.execute(
        select(
            DagRun.id,
            DagRun.run_id,
            DagRun.state,
            DagRun.run_type,
            DagRun.logical_date,
            DagRun.start_date,
            DagRun.end_date,
            DagRun.dag_version_id,
            DagVersion.version_number,
        )
        .join(DagVersion, DagVersion.id == DagRun.dag_version_id)
        .where(and_(*conditions))
        .order_by(DagRun.logical_date.desc())
        .limit(limit + 1)
    ).all()
    return rows[:limit][::-1], len(rows) > limit


GRID_SEPARATOR = ","  # never in a task id (``authoring.naming``: letters, digits, _ - .)


def grid_cells(session: Session, dag_run_ids: Sequence[int]) -> list[tuple[int, str, str, int]]:
    """Per run: ``(dag_run_id, task ids, their states, highest map_index)``.

    Ids and states are joined by GRID_SEPARATOR (a NULL state is an empty
    string), for the task instances that are not expanded map indexes
    (:func:`grid_mapped` reads those, for runs whose highest map index is 0 or
    more); a run of expanded map indexes only has ``None`` for both. The
    database concatenates the 50,000 task instances of a 2,000-task x 25-run
    grid into 25 rows, because returning one Python row per task instance cost
    the grid far more than the query (docs/PROFILE.md). Neither concatenation
    is ordered (SQLite before 3.44 cannot; on PostgreSQL an ``ORDER BY`` in
    ``string_agg`` doubled the query): both see a group's rows in the same
    order, so the n-th id and the n-th state belong together. Mapping states to
    codes is left to Python: a ``CASE`` per row cost PostgreSQL more than that.
    The ids are integers from our own rows, so they are rendered inline.

    On SQLite, a run's cells are stored beside it once read and reused until
    one of its task instances changes (:mod:`dagkeeper.models.run_grid`).
    """
    if not dag_run_ids:
        return []
    if session.connection().dialect.name == "sqlite":
        concatenate = functools.partial(_concatenated_cells, session)
        return stored_cells(session, dag_run_ids, GRID_SEPARATOR, concatenate)
    return _concatenated_cells(session, dag_run_ids)


def _concatenated_cells(
    session: Session, dag_run_ids: Sequence[int]
) -> list[tuple[int, str, str, int]]:
    """:func:`grid_cells` rows concatenated from ``task_instance``."""
    connection = session.connection()
    concat = "string_agg" if connection.dialect.name == "postgresql" else "group_concat"
    ids = ",".join(str(int(i)) for i in dag_run_ids)
    sep = GRID_SEPARATOR
    sql = (
        f"SELECT dag_run_id, {concat}(CASE WHEN map_index < 0 THEN task_id END, '{sep}'),"
        f" {concat}(CASE WHEN map_index < 0 THEN coalesce(state, '') END, '{sep}'),"
        f" max(map_index) FROM task_instance WHERE dag_run_id IN ({ids}) GROUP BY dag_run_id"
    )  # NULLs (expanded map indexes) are not concatenated
    return connection.exec_driver_sql(sql).all()  # type: ignore[return-value]


def grid_mapped(
    session: Session, dag_run_ids: Sequence[int]
) -> list[tuple[int, str, str | None, int]]:
    """``(dag_run_id, task_id, state, count)`` of the given runs' expanded mapped task instances.

    What a mapped task's cell tooltip shows: how many map indexes are in each
    state. Read from the index ``ix_task_instance_grid`` (its last column is
    ``map_index``), in run, task and state order.
    """
    if not dag_run_ids:
        return []
    ti = TaskInstance
    return session.execute(  # type: ignore[return-value]
        select(ti.dag_run_id, ti.task_id, ti.state, func.count())
        .where(ti.dag_run_id.in_([int(i) for i in dag_run_ids]), ti.map_index >= 0)
        .group_by(ti.dag_run_id, ti.task_id, ti.state)
        .order_by(ti.dag_run_id, ti.task_id, ti.state.asc().nulls_first())
    ).all()


def last_scheduled_interval(session: Session, dag_id: str) -> tuple[datetime, datetime] | None:
    """``(start, end)`` of the DAG's newest scheduled run: where its timetable continues."""
    row = session.execute(
        select(DagRun.data_interval_start, DagRun.data_interval_end)
        .where(DagRun.dag_id == dag_id, DagRun.run_type == RunType.SCHEDULED)
        .order_by(DagRun.logical_date.desc())
        .limit(1)
    ).first()
    if row is None or row.data_interval_start is None or row.data_interval_end is None:
        return None
    return row.data_interval_start, row.data_interval_end


def document_of(session: Session, version_id: int) -> DagDocument | None:
    """The typed document of a version, without loading the rest of its row."""
    row = session.execute(
        select(DagVersion.document, DagVersion.relations).where(DagVersion.id == version_id)
    ).first()
    return read_document(*row) if row is not None else None

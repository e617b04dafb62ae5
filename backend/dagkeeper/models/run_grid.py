"""A run's grid cells stored beside it on SQLite, kept honest by triggers.

The grid of 2,000 tasks x 25 runs asks, per run, for its task ids and states
concatenated (:func:`dagkeeper.models.queries.grid_cells`). On SQLite that
``group_concat`` over 50,000 task instances was half of an uncached grid
request (docs/PROFILE.md), although a finished run's cells never change. So
each run has a ``dag_run_grid`` row holding its last concatenation, and
triggers (migration 0022a) make staleness impossible to miss, whoever writes:

- inserting a run inserts its row (generation 0, nothing built);
- inserting or deleting a task instance, or updating its state, task id, map
  index or run, advances its run's ``generation`` and drops the stale cells
  (so the next writes rewrite a small row, not a 2,000-task run's ~60 KB).

A row whose ``built`` equals its ``generation`` is current. A grid request
reads the current rows and concatenates the others from ``task_instance`` in
its own snapshot, as before; then it stores what it concatenated with
``UPDATE ... WHERE generation = <the generation it read>``, so a task
instance written in between (which advanced the generation) leaves the row
stale rather than wrong. The store is best effort: it never waits for
SQLite's write lock, and a busy database just means the next request
concatenates again. It records no change token (nothing a user sees
changed), so it cannot invalidate a cached page.

PostgreSQL keeps no rows here: ``string_agg`` there meets the grid's target,
and a trigger updating the run's row after each task instance's row would add
a lock that two transactions writing task instances of one run (the
scheduler's many rows, a runner's one) could take in opposite orders.
SQLite has a single write lock, so its triggers cannot deadlock.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence

from sqlalchemy import BigInteger, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.models.base import Base

log = logging.getLogger(__name__)

# (dag_run_id, task ids joined, states joined, highest map index): grid_cells' rows
Cells = tuple[int, str | None, str | None, int]


class DagRunGrid(Base):
    __tablename__ = "dag_run_grid"

    dag_run_id: Mapped[int] = mapped_column(
        ForeignKey("dag_run.id", ondelete="CASCADE"), primary_key=True
    )
    generation: Mapped[int] = mapped_column(BigInteger, default=0)  # advanced by triggers
    built: Mapped[int | None] = mapped_column(BigInteger)  # the generation the cells are of
    task_ids: Mapped[str | None] = mapped_column(Text)
    states: Mapped[str | None] = mapped_column(Text)
    top_map_index: Mapped[int | None] = mapped_column(Integer)  # NULL: no task instances


def _current(built: int | None, generation: int, task_ids, states, separator: str) -> bool:
    """Built for this generation, and as many states as ids (a hand-edited row is rebuilt)."""
    if built != generation:
        return False
    if task_ids is None or states is None:
        return task_ids is None and states is None
    return task_ids.count(separator) == states.count(separator)


def stored_cells(
    session: Session,
    dag_run_ids: Sequence[int],
    separator: str,
    concatenate: Callable[[Sequence[int]], list[Cells]],
) -> list[Cells]:
    """``grid_cells`` rows of ``dag_run_ids``: stored ones where current, ``concatenate``'s else.

    ``concatenate(ids)`` reads the given runs' cells from ``task_instance`` in the
    caller's snapshot; what it returns is stored for the next request.
    """
    ids = ",".join(str(int(i)) for i in dag_run_ids)
    stored = session.connection().exec_driver_sql(
        "SELECT dag_run_id, generation, built, task_ids, states, top_map_index"
        f" FROM dag_run_grid WHERE dag_run_id IN ({ids})"
    )
    cells: list[Cells] = []
    current: set[int] = set()
    stale: dict[int, int] = {}  # dag_run_id -> generation read
    for run, generation, built, task_ids, states, top in stored:
        if _current(built, generation, task_ids, states, separator):
            current.add(run)
            if top is not None:  # a run without task instances has no cells
                cells.append((run, task_ids, states, top))
        else:
            stale[run] = generation
    missing = [i for i in dag_run_ids if i not in current]  # a run without a row too
    if missing:
        fresh = concatenate(missing)
        cells.extend(fresh)
        if stale:
            _store(session, stale, fresh)
    return cells


def _store(session: Session, stale: dict[int, int], fresh: list[Cells]) -> None:
    """Store freshly concatenated cells where their run's generation is still the one read."""
    by_run = {row[0]: row for row in fresh}
    params = [
        (generation, *by_run.get(run, (run, None, None, None))[1:], run, generation)
        for run, generation in stale.items()
    ]
    engine = session.get_bind().engine
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        (wait,) = raw.execute("PRAGMA busy_timeout").fetchone()
        raw.execute("PRAGMA busy_timeout=0")  # a read never waits to store what it can redo
        try:
            raw.execute("BEGIN IMMEDIATE")
            raw.executemany(
                "UPDATE dag_run_grid SET built = ?, task_ids = ?, states = ?,"
                " top_map_index = ? WHERE dag_run_id = ? AND generation = ?",
                params,
            )
            raw.execute("COMMIT")
        except sqlite3.OperationalError as error:  # busy: the next request concatenates again
            log.debug("grid cells not stored: %s", error)
        finally:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raw.execute(f"PRAGMA busy_timeout={int(wait)}")

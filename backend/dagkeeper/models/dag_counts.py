"""The DAG list's ``total_entries``, exact and independent of how many DAGs there are.

Counting every active DAG (or every active DAG with a tag) read one index
entry per DAG: at 100,000 DAGs the count, not the page, made the list 2.4x
slower than at 1,000 (docs/SCALING.md). Triggers (migration 0022b) append a
``+1`` or ``-1`` to ``dag_list_count`` per ``(tag, paused)`` whenever an
active DAG appears or goes, is paused or unpaused, or gains or loses a tag,
whoever writes (processor, API, CLI, an operator's SQL); ``tag = ''`` stands
for every DAG. A count is the sum of a few rows. :func:`fold_counts` (the
scheduler, once a minute) replaces a key's rows by their sum, so the rows
stay few however long the installation runs.

Only the list's common shapes are counted this way (every DAG the caller
may read is every DAG, active only, no search, no import-error filter, at
most one tag); any other filter counts its rows as before.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy import Boolean, Index, Integer, String, delete, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.models.base import Base

log = logging.getLogger(__name__)

ALL_DAGS = ""  # the tag key that counts every DAG
FOLD_BATCH = 10_000  # rows folded per transaction


class DagListCount(Base):
    __tablename__ = "dag_list_count"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tag: Mapped[str] = mapped_column(String(100))
    paused: Mapped[bool] = mapped_column(Boolean)
    delta: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_dag_list_count_tag", "tag", "paused", "delta"),)  # covering


class FoldRaced(RuntimeError):
    """Another folder took some of the rows first; this fold is rolled back."""


def counted_dags(session: Session, tag: str | None, paused: bool | None) -> int:
    """How many active DAGs carry ``tag`` (None: any) and are ``paused`` (None: either)."""
    c = DagListCount
    query = select(func.coalesce(func.sum(c.delta), 0)).where(c.tag == (tag or ALL_DAGS))
    if paused is not None:
        query = query.where(c.paused == paused)
    return int(session.connection().execute(query).scalar_one())


def fold_counts(session: Session, batch: int = FOLD_BATCH) -> int:
    """Replace up to ``batch`` delta rows by one sum per key; returns how many rows went.

    The rows deleted are exactly the rows summed (by id), so a delta committed
    meanwhile is never lost. Two folders racing over the same rows: the second
    deletes fewer rows than it read and raises :class:`FoldRaced`, which rolls
    its transaction back.
    """
    c = DagListCount
    rows = session.execute(select(c.id, c.tag, c.paused, c.delta).order_by(c.id).limit(batch)).all()
    sums: dict[tuple[str, bool], int] = defaultdict(int)
    for _id, tag, paused, delta in rows:
        sums[tag, paused] += delta
    if len(rows) <= len(sums):
        return 0  # one row per key already
    ids = [row.id for row in rows]
    deleted = session.execute(delete(c).where(c.id.in_(ids))).rowcount
    if deleted != len(ids):
        raise FoldRaced(f"dag_list_count: {deleted} of the {len(ids)} rows read were left")
    folded = [{"tag": t, "paused": p, "delta": d} for (t, p), d in sums.items() if d]
    if folded:
        session.execute(insert(c), folded)
    return len(ids)


def fold_all_counts(transaction: Callable[[], AbstractContextManager[Session]]) -> int:
    """Fold batch after batch, each in its own ``transaction()``, until few rows are left.

    A cold start's publication of 100,000 DAGs leaves some 360,000 deltas; one
    batch a minute would leave the list summing them for half an hour. Returns
    how many rows were folded; another folder at work ends this one early.
    """
    total = 0
    try:
        while True:
            with transaction() as session:
                folded = fold_counts(session)
            if not folded:
                return total
            total += folded
    except FoldRaced as raced:
        log.info("%s", raced)
        return total

"""The change counter: the database-wide token behind ETags and ``/ui/changes``.

Every publication and state change calls :func:`record_change` in its own
transaction. The counter is a single row updated in place, so its row lock is
held until commit and tokens become visible in commit order (a sequence would
not guarantee that on PostgreSQL). ``change_log`` says what each token touched
so a browser refetches only the views that changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import BigInteger, Connection, Integer, String, delete, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.models.base import Base


class ChangeKind:
    DAG = "dag"  # a DAG's rows or version changed (list, details, structure)
    RUN = "run"  # a run or task-instance state changed (grid, graph colours)
    IMPORT_ERROR = "import_error"  # import errors appeared or cleared
    ASSET = "asset"  # an asset event was recorded (the assets views)


KEEP_CHANGES = 10_000  # tokens of change_log kept; older pollers are told to refetch all


class ChangeCounter(Base):
    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
    # change_log rows at or below this token were pruned: a poller that is
    # further behind cannot be told what changed and must refetch everything.
    pruned_through: Mapped[int] = mapped_column(BigInteger, default=0)


class ChangeLog(Base):
    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    dag_id: Mapped[str | None] = mapped_column(String(250))
    kind: Mapped[str] = mapped_column(String(20))


# Built once: a process that records many changes (a task runner) reuses their cache keys.
# Core statements: no unit of work to consult, and every log row the same shape (NULL
# dag_id included), so one compilation serves them all.
_COUNTER = ChangeCounter.__table__.c
_ADVANCE = (
    update(ChangeCounter.__table__)
    .where(_COUNTER.id == 1)
    .values(value=_COUNTER.value + 1)
    .returning(_COUNTER.value)
)
_LOG = insert(ChangeLog.__table__)
_TOKEN = select(_COUNTER.value).where(_COUNTER.id == 1)


def record_change(session: Session, changes: Iterable[tuple[str | None, str]]) -> int:
    """Advance the counter and log ``(dag_id, kind)`` pairs under the new token."""
    seq = session.execute(_ADVANCE).scalar_one()
    rows = [{"seq": seq, "dag_id": d, "kind": k} for d, k in set(changes)]
    if rows:
        session.execute(_LOG, rows)
    return seq


def current_token(reader: Session | Connection) -> int:
    """The change token: read by every request, so a Core statement built once."""
    connection = reader.connection() if isinstance(reader, Session) else reader
    return int(connection.execute(_TOKEN).scalar_one())


def changes_since(
    session: Session, since: int, limit: int = 500
) -> tuple[list[tuple[str | None, str]], bool]:
    """Distinct ``(dag_id, kind)`` changed after token ``since``, and whether that is complete.

    Incomplete (``False``) when more than ``limit`` pairs changed or when the
    rows after ``since`` were already pruned.
    """
    pruned = session.execute(
        select(ChangeCounter.pruned_through).where(ChangeCounter.id == 1)
    ).scalar_one()
    if since < pruned:
        return [], False
    rows = session.execute(
        select(ChangeLog.dag_id, ChangeLog.kind)
        .where(ChangeLog.seq > since)
        .distinct()
        .limit(limit + 1)
    ).all()
    return [tuple(r) for r in rows[:limit]], len(rows) <= limit  # type: ignore[misc]


def prune_change_log(session: Session, keep: int = KEEP_CHANGES) -> int:
    """Delete log rows older than the newest ``keep`` tokens; returns how many."""
    through = current_token(session) - keep
    if through <= 0:
        return 0
    deleted = session.execute(delete(ChangeLog).where(ChangeLog.seq <= through)).rowcount
    session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == 1, ChangeCounter.pruned_through < through)
        .values(pruned_through=through)
    )
    return deleted

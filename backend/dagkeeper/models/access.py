"""Per-DAG grants (``DAG(access_control=...)``), published with the DAG they guard.

A DAG without grant rows is readable by every role. A DAG with grant rows is
readable only by the principals named in them (a role, reaching that role and
every higher one, or a team) and by admins; ``can_edit`` additionally lets a
``user`` or higher trigger, clear, mark and pause it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    ForeignKey,
    String,
    exists,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from dagkeeper.models.base import Base
from dagkeeper.models.dag import Dag


class DagAccess(Base):
    __tablename__ = "dag_access"

    dag_id: Mapped[str] = mapped_column(
        ForeignKey("dag.dag_id", ondelete="CASCADE"), primary_key=True
    )
    principal: Mapped[str] = mapped_column(String(100), primary_key=True)  # a role or a team
    can_read: Mapped[bool] = mapped_column(Boolean, default=True)
    can_edit: Mapped[bool] = mapped_column(Boolean, default=False)


def publish_grants(
    session: Session, dag_id: str, grants: dict[str, list[str]], *, created: bool = False
) -> None:
    """Make the DAG's grant rows match its document (in the publication's transaction).

    ``created``: the DAG's row is new in this transaction, so it has no grant rows yet.
    """
    wanted = {p: ("can_read" in perms, "can_edit" in perms) for p, perms in grants.items()}
    if created and not wanted:
        return
    rows: dict[str, DagAccess] = {}
    if not created:
        found = session.scalars(select(DagAccess).where(DagAccess.dag_id == dag_id))
        rows = {row.principal: row for row in found}
    for principal, row in rows.items():
        if principal not in wanted:
            session.delete(row)
    if set(wanted) - set(rows):
        session.flush()  # a new DAG's row first: grants reference it
    for principal, (can_read, can_edit) in wanted.items():
        row = rows.get(principal) or DagAccess(dag_id=dag_id, principal=principal)
        row.can_read, row.can_edit = can_read, can_edit
        session.add(row)


def readable(
    dag_id_column, principals: Sequence[str] | BindParameter[Any] | None
) -> ColumnElement[bool] | None:
    """A condition: the DAG in ``dag_id_column`` is readable by ``principals`` (None: all).

    ``principals`` may be an expanding bound parameter, for a statement built once.
    """
    if principals is None:
        return None
    names = principals if isinstance(principals, BindParameter) else list(principals)
    restricted = exists().where(DagAccess.dag_id == dag_id_column)
    granted = exists().where(
        DagAccess.dag_id == dag_id_column,
        DagAccess.principal.in_(names),
        DagAccess.can_read | DagAccess.can_edit,
    )
    return or_(~restricted, granted)


def dag_access(session: Session, dag_id: str, principals: Sequence[str]) -> tuple[bool, bool]:
    """``(can_read, can_edit)`` of one DAG for ``principals``, from one indexed read."""
    rows = session.execute(
        select(DagAccess.principal, DagAccess.can_read, DagAccess.can_edit).where(
            DagAccess.dag_id == dag_id
        )
    ).all()
    if not rows:
        return True, True
    mine = [r for r in rows if r.principal in principals]
    can_edit = any(r.can_edit for r in mine)
    return can_edit or any(r.can_read for r in mine), can_edit


def hidden_dag_ids(
    session: Session, dag_ids: Sequence[str], principals: Sequence[str] | None
) -> set[str]:
    """Which of ``dag_ids`` exist and are not readable by ``principals``."""
    condition = readable(Dag.dag_id, principals)
    if condition is None or not dag_ids:
        return set()
    return set(session.scalars(select(Dag.dag_id).where(Dag.dag_id.in_(list(dag_ids)), ~condition)))


def editable_dag_ids(
    session: Session, dag_ids: Sequence[str], principals: Sequence[str]
) -> set[str]:
    """Which of ``dag_ids`` ``principals`` may change (grants allowing), in one read for a page.

    A DAG without grant rows is editable by everyone whose role allows writes.
    """
    rows = session.execute(
        select(DagAccess.dag_id, DagAccess.principal, DagAccess.can_edit).where(
            DagAccess.dag_id.in_(list(dag_ids))
        )
    ).all()
    restricted = {r.dag_id for r in rows}
    granted = {r.dag_id for r in rows if r.can_edit and r.principal in principals}
    return (set(dag_ids) - restricted) | granted

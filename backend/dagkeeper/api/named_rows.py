"""Rows users manage by a unique name (variables, connections, pools): how the API pages, finds,
creates, changes and deletes them.

A name taken twice is a 409 (also when a concurrent request wins the race), a missing one a 404,
a body naming another row than its path a 400; every write is one transaction, with its audit
event, so a refused request changes nothing and records no success.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dagkeeper import db
from dagkeeper.api.auth.audit import audit
from dagkeeper.api.errors import abort, not_found
from dagkeeper.api.request_cycle import end_reads


@dataclass(frozen=True)
class NamedRows:
    model: type
    name: Any  # the unique name column, e.g. Variable.key
    noun: str  # what a message calls one row: "variable"
    name_field: str  # the request body field holding the name: "key"
    columns: dict[str, str]  # request body field -> model attribute
    orderings: dict[str, Any]  # order_by key -> column
    renamable: bool = False  # a PATCH may give the row another name

    def what(self, name: str) -> str:
        return f"{self.noun} {name!r}"

    def find(self, session: Session, name: str) -> Any:
        row = session.scalar(select(self.model).where(self.name == name))
        if row is None:
            not_found(self.what(name))
        return row

    def page(self, session: Session, args: dict[str, Any]) -> tuple[int, list[Any]]:
        """The total and one page of rows, in the ``order_by`` the query asked for."""
        column = self.orderings[args["order_by"].lstrip("-")]
        ordering = column.desc() if args["order_by"].startswith("-") else column.asc()
        total = session.scalar(select(func.count()).select_from(self.model))
        rows = session.scalars(
            select(self.model)
            .order_by(ordering, self.name)
            .limit(args["limit"])
            .offset(args["offset"])
        )
        return total, list(rows)

    def create(self, body: dict[str, Any]) -> str:
        """Insert a row from the body; returns its name."""
        name = body[self.name_field]
        with self._write(name, "create") as session:
            if session.scalar(select(self.model).where(self.name == name)) is not None:
                abort(409, f"{self.what(name)} already exists")
            row = self.model()
            self._apply(row, body)
            session.add(row)
        return name

    def update(self, name: str, body: dict[str, Any]) -> str:
        """Change the fields the body gives; returns the row's name afterwards."""
        new_name = body.get(self.name_field, name)
        if new_name != name and not self.renamable:
            errors = {self.name_field: ["must equal the name in the path"]}
            abort(400, f"{self.name_field} in the body differs from the path", errors)
        with self._write(new_name, "update") as session:
            self._apply(self.find(session, name), body)
        return new_name

    def delete(self, name: str) -> None:
        with self._write(name, "delete") as session:
            session.delete(self.find(session, name))

    def _apply(self, row: Any, body: dict[str, Any]) -> None:
        for field, attribute in self.columns.items():
            if field in body:
                setattr(row, attribute, body[field])

    @contextmanager
    def _write(self, name: str, action: str) -> Iterator[Session]:
        try:
            with db.transaction() as session:
                yield session
                audit(session, f"{self.noun}.{action}", target=name)
        except IntegrityError:  # a concurrent request took the name first
            abort(409, f"{self.what(name)} already exists")
        end_reads()

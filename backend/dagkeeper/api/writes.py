"""What the create/update/delete endpoints of stored settings (variables, connections, pools)
share: a unique name taken twice is a 409, a body naming another resource than its path is a 400."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dagkeeper import db
from dagkeeper.api.errors import abort, not_found
from dagkeeper.api.request_cycle import end_reads


@contextmanager
def write_or_409(what: Callable[[], str]) -> Iterator[Session]:
    """A write transaction in which a unique-constraint clash becomes ``409 <what> exists``."""
    try:
        with db.transaction() as session:
            yield session
    except IntegrityError:
        abort(409, f"{what()} already exists")
    end_reads()


def found_or_404(row: Any, what: str) -> Any:
    if row is None:
        not_found(what)
    return row


def same_as_path(body: dict[str, Any], field: str, path_value: str) -> None:
    if field in body and body[field] != path_value:
        abort(400, f"{field} in the body differs from the path", {field: ["must equal the path's"]})


def apply(row: Any, body: dict[str, Any], columns: dict[str, str]) -> None:
    """Copy the body's fields onto the row (``columns``: body field -> attribute)."""
    for field, attribute in columns.items():
        if field in body:
            setattr(row, attribute, body[field])

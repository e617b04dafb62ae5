"""``Variable.get`` / ``Variable.set``: an environment override first, then the database.

``DAGKEEPER_VAR_<KEY>`` (the key upper-cased) overrides the stored value, as
``AIRFLOW_VAR_<KEY>`` does for the peer. While a DAG file is parsed the keys it
reads are recorded (:func:`recording_reads`), so its parse record can say
which variables it depends on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from dagkeeper import db
from dagkeeper.masking import looks_secret, remember_secret

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dagkeeper.models import Variable as VariableRow

ENV_PREFIX = "DAGKEEPER_VAR_"


class _NotSet:
    def __repr__(self) -> str:
        return "NOTSET"


NOTSET: Any = _NotSet()
_reads: list[str] | None = None


@contextmanager
def recording_reads() -> Iterator[list[str]]:
    """Collect the keys every ``Variable.get`` asks for inside the block (found or not)."""
    global _reads
    _reads = reads = []
    try:
        yield reads
    finally:
        _reads = None


def stored_value(key: str) -> str | None:
    """The raw text of a variable: its environment override, else its row, else None."""
    if _reads is not None:
        _reads.append(key)
    override = os.environ.get(ENV_PREFIX + key.upper())
    if override is not None:
        return override
    with db.read_session() as session:
        row = _row(session, key)
        return None if row is None else row.value


def _row(session: Session, key: str) -> VariableRow | None:
    """Variable ``key``'s row. SQLAlchemy and the models are imported here, on first
    use, not with the module: a DAG-file parse child that reads no Variable never
    loads them (docs/PROFILE.md)."""
    from sqlalchemy import select

    from dagkeeper.models import Variable as VariableRow

    return session.scalar(select(VariableRow).where(VariableRow.key == key))


class Variable:
    """Named values kept by dagkeeper; ``deserialize_json`` reads JSON values."""

    @staticmethod
    def get(
        key: str,
        default_var: Any = NOTSET,
        deserialize_json: bool = False,
        *,
        default: Any = NOTSET,
    ) -> Any:
        fallback = default if default is not NOTSET else default_var
        text = stored_value(key)
        if text is None:
            if fallback is NOTSET:
                raise KeyError(f"Variable {key} does not exist")
            return fallback
        value = json.loads(text) if deserialize_json else text
        if looks_secret(key):
            remember_secret(value)
        return value

    @staticmethod
    def set(
        key: str, value: Any, description: str | None = None, serialize_json: bool = False
    ) -> None:
        text = json.dumps(value, indent=2) if serialize_json else str(value)
        from dagkeeper.models import Variable as VariableRow

        with db.transaction() as session:
            row = _row(session, key)
            if row is None:
                session.add(VariableRow(key=key, value=text, description=description))
            else:
                row.value = text
                if description is not None:
                    row.description = description

    @staticmethod
    def delete(key: str) -> int:
        """Delete the stored variable; how many rows went (0 or 1)."""
        with db.transaction() as session:
            row = _row(session, key)
            if row is None:
                return 0
            session.delete(row)
            return 1

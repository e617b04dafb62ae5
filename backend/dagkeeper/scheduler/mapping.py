"""Expanding a mapped task: how many task instances, from the stored document only.

The scheduler never imports DAG code: a literal source's length is in the
document, an XCom source's is read from the upstream task instance's stored
XCom (or, for a mapped upstream, its number of map indexes). Several
``expand`` arguments multiply (cross product), a zip takes the shortest (or
the longest with a fillvalue), ``expand_kwargs`` takes its source's length.
"""

from __future__ import annotations

import json
import math
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from dagkeeper.models import TaskInstance, XCom
from dagkeeper.serialization.schemas import expand_sources


class Unmappable(Exception):
    """The source is not a list or a dict, or it is longer than ``max_map_length``."""


def _xcom_length(session: Session, run_pk: int, task_id: str, key: str) -> int:
    rows = session.execute(
        select(TaskInstance.map_index, XCom.value)
        .join(XCom, XCom.task_instance_id == TaskInstance.id)
        .where(TaskInstance.dag_run_id == run_pk, TaskInstance.task_id == task_id, XCom.key == key)
    ).all()
    if any(map_index >= 0 for map_index, _ in rows):
        return len(rows)  # a mapped upstream: one element per map index that pushed
    value = json.loads(rows[0].value) if rows else None
    if value is None:
        return 0
    if not isinstance(value, list | dict):
        raise Unmappable(f"XCom {key!r} of {task_id!r} is not a list or a dict")
    return len(value)


def _source_length(session: Session, run_pk: int, source: dict[str, Any]) -> int:
    if source["type"] == "literal":
        return len(source["value"])
    if source["type"] == "xcom":
        return _xcom_length(session, run_pk, source["task_id"], source["key"])
    lengths = [_source_length(session, run_pk, s) for s in source["sources"]]
    if not lengths:
        return 0
    return max(lengths) if "fillvalue" in source else min(lengths)


def map_length(session: Session, run_pk: int, expand: dict[str, Any], limit: int) -> int:
    """How many task instances the mapped task has in run ``run_pk``; raises :class:`Unmappable`."""
    lengths = [_source_length(session, run_pk, s) for s in expand_sources(expand)]
    length = math.prod(lengths) if expand["kind"] == "dict" else lengths[0]
    if length > limit:
        raise Unmappable(f"{length} task instances; at most {limit} are allowed (max_map_length)")
    return length


_COPIED = (
    "dag_run_id",
    "dag_id",
    "task_id",
    "operator",
    "max_tries",
    "queue",
    "pool",
    "pool_slots",
)


def expand(session: Session, ti_id: int, length: int) -> bool:
    """Turn the unexpanded task instance into map index 0 and add indexes 1..length-1.

    Guarded like every scheduler write: nothing happens if the task instance
    was changed (cleared, marked) since the plan read it.
    """
    first = session.execute(
        update(TaskInstance)
        .where(TaskInstance.id == ti_id, TaskInstance.map_index == -1, TaskInstance.state.is_(None))
        .values(map_index=0)
        .returning(*(getattr(TaskInstance, name) for name in _COPIED))
        .execution_options(synchronize_session=False)
    ).first()
    if first is None:
        return False
    shared = dict(zip(_COPIED, first, strict=True))
    rows = [{**shared, "map_index": i, "try_number": 0, "state": None} for i in range(1, length)]
    if rows:
        session.execute(insert(TaskInstance), rows)
    return True

"""The next scheduled run of a DAG: one step, shared by the processor and the scheduler.

The processor plans it when a DAG appears or its schedule changes; the
scheduler advances it as it creates runs. Both compute it with
:func:`next_run` and store it with :func:`store_next_run`, the only writer of
the ``dag`` row's four next-run columns.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dagkeeper.models import Dag
from dagkeeper.models.queries import last_scheduled_interval
from dagkeeper.serialization import DagDocument
from dagkeeper.timetables import DataInterval, NextRun, Timetable, timetable_for


def timetable_of(doc: DagDocument) -> Timetable:
    return timetable_for(doc.schedule, doc.timezone, doc.start_date)


def last_interval(session: Session, dag_id: str) -> DataInterval | None:
    """The data interval of the DAG's newest scheduled run: where its timetable continues."""
    found = last_scheduled_interval(session, dag_id)
    return DataInterval(*found) if found else None


def next_run(
    doc: DagDocument, timetable: Timetable, last: DataInterval | None, now: datetime
) -> NextRun | None:
    """The run after ``last`` (the first one when None) within the DAG's dates and catchup."""
    return timetable.next_run(
        last, start_date=doc.start_date, end_date=doc.end_date, catchup=doc.catchup, now=now
    )


def store_next_run(dag: Dag, info: NextRun | None) -> bool:
    """Store ``info`` in the dag row's next-run fields; True when they changed."""
    values = (
        (info.logical_date, info.data_interval.start, info.data_interval.end, info.create_after)
        if info
        else (None, None, None, None)
    )
    current = (
        dag.next_dagrun,
        dag.next_dagrun_data_interval_start,
        dag.next_dagrun_data_interval_end,
        dag.next_dagrun_create_after,
    )
    if values == current:
        return False
    (
        dag.next_dagrun,
        dag.next_dagrun_data_interval_start,
        dag.next_dagrun_data_interval_end,
        dag.next_dagrun_create_after,
    ) = values
    return True

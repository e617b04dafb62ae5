"""Timetable objects in DAG files: published as data, summarised on the ``dag`` row, planned."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from dagkeeper.db import read_session
from dagkeeper.models import Dag
from dagkeeper.processor.scan import scan

from .helpers import import_errors, write

SOURCE = """\
from datetime import datetime, timedelta
from dagkeeper import (DAG, CronTriggerTimetable, DeltaTriggerTimetable, EventsTimetable,
                       MultipleCronTriggerTimetable)

START = datetime(2030, 1, 1)
DAG("cron_trigger", schedule=CronTriggerTimetable("0 6 * * 1-5", timezone="Europe/Amsterdam",
    interval=timedelta(hours=1)), start_date=START)
DAG("multi", schedule=MultipleCronTriggerTimetable("0 2 * * *", "30 14 * * *", timezone="UTC"),
    start_date=START)
DAG("delta", schedule=DeltaTriggerTimetable(timedelta(hours=6)), start_date=START)
DAG("events", schedule=EventsTimetable([datetime(2030, 3, 1), datetime(2030, 1, 15, 9)],
    description="Board meetings"), start_date=START)
"""


def test_timetables_publish_their_kind_expression_summary_and_next_run(db, dags_folder):
    write(dags_folder, "timetables.py", SOURCE)
    scan(dags_folder)
    assert import_errors() == {}
    with read_session() as session:
        rows = {
            d.dag_id: (d.schedule_kind, d.schedule_expression, d.schedule_summary,
                       d.next_dagrun, d.next_dagrun_create_after)
            for d in session.scalars(select(Dag))
        }  # fmt: skip
    assert rows == {
        "cron_trigger": ("cron_trigger", "0 6 * * 1-5",
                         "At 06:00, Monday through Friday, covering the previous 1 hour "
                         "(Europe/Amsterdam)",
                         datetime(2030, 1, 1, 4, tzinfo=UTC), datetime(2030, 1, 1, 5, tzinfo=UTC)),
        "multi": ("multi_cron_trigger", "0 2 * * *, 30 14 * * *", "At 02:00; At 14:30",
                  datetime(2030, 1, 1, 2, tzinfo=UTC), datetime(2030, 1, 1, 2, tzinfo=UTC)),
        "delta": ("delta_trigger", "6:00:00", "Every 6 hours, at the tick",
                  datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)),
        "events": ("events", "2 events", "Board meetings",
                   datetime(2030, 1, 15, 9, tzinfo=UTC), datetime(2030, 1, 15, 9, tzinfo=UTC)),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ('CronTriggerTimetable("61 * * * *", timezone="UTC")', "not a valid five-field cron"),
        ('CronTriggerTimetable("@daily", timezone="Nowhere/Land")', "Invalid timezone"),
    ],
)
def test_a_bad_timetable_is_an_import_error_of_its_file(db, dags_folder, schedule, message):
    write(dags_folder, "bad.py", "from datetime import datetime\n"
          "from dagkeeper import DAG, CronTriggerTimetable\n"
          f"DAG('bad', schedule={schedule}, start_date=datetime(2030, 1, 1))\n")  # fmt: skip
    scan(dags_folder)
    assert message in import_errors()["bad.py"]

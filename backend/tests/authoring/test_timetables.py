"""Timetable objects in ``schedule=``: stored as data, checked when the DAG is defined."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dagkeeper import (
    DAG,
    CronTriggerTimetable,
    DeltaTriggerTimetable,
    EventsTimetable,
    MultipleCronTriggerTimetable,
)
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.to_document import serialize_dag
from dagkeeper.serialization import dumps, loads


def schedule_of(timetable):
    dag = DAG("d", schedule=timetable, start_date=datetime(2024, 1, 1))
    return loads(dumps(serialize_dag(dag))).schedule


@pytest.mark.parametrize(
    ("timetable", "stored"),
    [
        (CronTriggerTimetable("0 2 * * *", timezone="Europe/Amsterdam"),
         {"kind": "cron_trigger", "expression": "0 2 * * *", "seconds": None,
          "timezone": "Europe/Amsterdam", "interval": 0}),
        (CronTriggerTimetable("@daily", timezone=ZoneInfo("UTC"), interval=timedelta(hours=1)),
         {"kind": "cron_trigger", "expression": "@daily", "seconds": None,
          "timezone": "UTC", "interval": 3600}),
        (MultipleCronTriggerTimetable("0 2 * * *", "30 14 * * 1-5", timezone="UTC"),
         {"kind": "multi_cron_trigger", "expression": None, "seconds": None,
          "expressions": ["0 2 * * *", "30 14 * * 1-5"], "timezone": "UTC", "interval": 0}),
        (DeltaTriggerTimetable(timedelta(hours=6)),
         {"kind": "delta_trigger", "expression": None, "seconds": 21600, "interval": 0}),
        (EventsTimetable([datetime(2024, 3, 1, tzinfo=ZoneInfo("Europe/Amsterdam")),
                          datetime(2024, 1, 1)], restrict_to_events=True, description="Q"),
         {"kind": "events", "expression": None, "seconds": None,
          "events": ["2024-01-01T00:00:00+00:00", "2024-02-29T23:00:00+00:00"],
          "restrict_to_events": True, "description": "Q"}),
    ],
)  # fmt: skip
def test_timetables_are_stored_as_plain_data(timetable, stored):
    assert schedule_of(timetable) == stored


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: CronTriggerTimetable("0 2 * *", timezone="UTC"), "five-field cron"),
        (lambda: CronTriggerTimetable("0 2 * * *", timezone="Mars/Base"), "Invalid timezone"),
        (lambda: CronTriggerTimetable("0 2 * * *", interval=timedelta(-1)), "non-negative"),
        (lambda: DeltaTriggerTimetable(timedelta(0)), "positive"),
        (lambda: DeltaTriggerTimetable(3600), "must be a datetime.timedelta"),
        (lambda: MultipleCronTriggerTimetable(timezone="UTC"), "at least one cron"),
        (lambda: EventsTimetable(["2024-01-01"]), "must be datetimes"),
    ],
)
def test_bad_timetable_arguments_are_definition_errors(make, message):
    with pytest.raises(DagDefinitionError, match=message):
        make()


def test_events_in_any_zone_are_stored_in_utc():
    (event,) = EventsTimetable([datetime(2024, 6, 1, 12, tzinfo=ZoneInfo("Asia/Tokyo"))]).events
    assert event == datetime(2024, 6, 1, 3, tzinfo=UTC)

"""Trigger and events timetables: (timetable, last run, now, catchup) -> next run, as the peer."""

from datetime import UTC, datetime, timedelta

import pytest

from dagkeeper.timetables import DataInterval, timetable_for


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def at(moment):
    return DataInterval(moment, moment)


NOW = utc(2024, 5, 10, 12, 30)
START = utc(2024, 5, 1)
CRON_2AM = {"kind": "cron_trigger", "expression": "0 2 * * *", "seconds": None,
            "timezone": None, "interval": 0}  # fmt: skip
CRON_2AM_1H = {**CRON_2AM, "interval": 3600}
CRON_2AM_AMS = {**CRON_2AM, "timezone": "Europe/Amsterdam"}
HOURLY_AMS = {**CRON_2AM_AMS, "expression": "0 * * * *"}
DELTA_6H = {"kind": "delta_trigger", "expression": None, "seconds": 6 * 3600, "interval": 0}
MULTI = {"kind": "multi_cron_trigger", "expression": None, "seconds": None,
         "expressions": ["0 2 * * *", "30 14 * * *"], "timezone": None, "interval": 0}  # fmt: skip
EVENTS = {"kind": "events", "expression": None, "seconds": None,
          "events": ["2024-05-03T09:00:00+00:00", "2024-05-08T09:00:00+00:00",
                     "2024-05-09T09:00:00+00:00", "2024-05-20T09:00:00+00:00"],
          "restrict_to_events": False, "description": None}  # fmt: skip

# (schedule, last run's data interval, now, catchup) -> (logical date, interval start, end)
TABLE = [
    # cron trigger: the run is at the tick, its data interval empty
    (CRON_2AM, None, NOW, True, utc(2024, 5, 1, 2), utc(2024, 5, 1, 2), utc(2024, 5, 1, 2)),
    (CRON_2AM, at(utc(2024, 5, 1, 2)), NOW, True, utc(2024, 5, 2, 2), utc(2024, 5, 2, 2), utc(2024, 5, 2, 2)),
    # without catchup: the latest tick at or before now, missed ones skipped
    (CRON_2AM, None, NOW, False, utc(2024, 5, 10, 2), utc(2024, 5, 10, 2), utc(2024, 5, 10, 2)),
    (CRON_2AM, at(utc(2024, 5, 3, 2)), NOW, False, utc(2024, 5, 10, 2), utc(2024, 5, 10, 2), utc(2024, 5, 10, 2)),
    (CRON_2AM, at(utc(2024, 5, 10, 2)), NOW, False, utc(2024, 5, 11, 2), utc(2024, 5, 11, 2), utc(2024, 5, 11, 2)),
    # now exactly on a tick: that tick is due
    (CRON_2AM, at(utc(2024, 5, 9, 2)), utc(2024, 5, 10, 2), False, utc(2024, 5, 10, 2), utc(2024, 5, 10, 2), utc(2024, 5, 10, 2)),
    # interval=: the data interval is the hour before the tick, the logical date its start
    (CRON_2AM_1H, None, NOW, True, utc(2024, 5, 1, 1), utc(2024, 5, 1, 1), utc(2024, 5, 1, 2)),
    (CRON_2AM_1H, DataInterval(utc(2024, 5, 1, 1), utc(2024, 5, 1, 2)), NOW, True, utc(2024, 5, 2, 1), utc(2024, 5, 2, 1), utc(2024, 5, 2, 2)),
    # the schedule's own timezone, across the spring-forward night (02:00 does not exist)
    (CRON_2AM_AMS, at(utc(2024, 3, 30, 1)), NOW, True, utc(2024, 3, 31, 1), utc(2024, 3, 31, 1), utc(2024, 3, 31, 1)),
    (CRON_2AM_AMS, at(utc(2024, 3, 31, 1)), NOW, True, utc(2024, 4, 1, 0), utc(2024, 4, 1, 0), utc(2024, 4, 1, 0)),
    # the fall-back night repeats 02:00-03:00: a daily cron runs once, at the first 02:00
    (CRON_2AM_AMS, at(utc(2024, 10, 26, 0)), NOW, True, utc(2024, 10, 27, 0), utc(2024, 10, 27, 0), utc(2024, 10, 27, 0)),
    (CRON_2AM_AMS, at(utc(2024, 10, 27, 0)), NOW, True, utc(2024, 10, 28, 1), utc(2024, 10, 28, 1), utc(2024, 10, 28, 1)),
    # ... while an hourly one runs in both hours that really pass
    (HOURLY_AMS, at(utc(2024, 10, 27, 0)), NOW, True, utc(2024, 10, 27, 1), utc(2024, 10, 27, 1), utc(2024, 10, 27, 1)),
    # delta trigger: from the start date with catchup, from now without
    (DELTA_6H, None, NOW, True, START, START, START),
    (DELTA_6H, at(START), NOW, True, utc(2024, 5, 1, 6), utc(2024, 5, 1, 6), utc(2024, 5, 1, 6)),
    (DELTA_6H, None, NOW, False, NOW, NOW, NOW),
    (DELTA_6H, at(utc(2024, 5, 10, 10)), NOW, False, utc(2024, 5, 10, 16), utc(2024, 5, 10, 16), utc(2024, 5, 10, 16)),
    (DELTA_6H, at(utc(2024, 5, 2)), NOW, False, NOW, NOW, NOW),
    # multiple crons: the soonest of either with catchup
    (MULTI, None, NOW, True, utc(2024, 5, 1, 2), utc(2024, 5, 1, 2), utc(2024, 5, 1, 2)),
    (MULTI, at(utc(2024, 5, 1, 2)), NOW, True, utc(2024, 5, 1, 14, 30), utc(2024, 5, 1, 14, 30), utc(2024, 5, 1, 14, 30)),
    # without: the latest past tick of any, else the earliest future one
    (MULTI, at(utc(2024, 5, 2, 2)), NOW, False, utc(2024, 5, 10, 2), utc(2024, 5, 10, 2), utc(2024, 5, 10, 2)),
    (MULTI, at(utc(2024, 5, 10, 2)), NOW, False, utc(2024, 5, 10, 14, 30), utc(2024, 5, 10, 14, 30), utc(2024, 5, 10, 14, 30)),
    # events: each in turn with catchup
    (EVENTS, None, NOW, True, utc(2024, 5, 3, 9), utc(2024, 5, 3, 9), utc(2024, 5, 3, 9)),
    (EVENTS, at(utc(2024, 5, 3, 9)), NOW, True, utc(2024, 5, 8, 9), utc(2024, 5, 8, 9), utc(2024, 5, 8, 9)),
    # without: the latest past event not yet run, else the next one
    (EVENTS, None, NOW, False, utc(2024, 5, 9, 9), utc(2024, 5, 9, 9), utc(2024, 5, 9, 9)),
    (EVENTS, at(utc(2024, 5, 9, 9)), NOW, False, utc(2024, 5, 20, 9), utc(2024, 5, 20, 9), utc(2024, 5, 20, 9)),
]  # fmt: skip


@pytest.mark.parametrize(("schedule", "last", "now", "catchup", "logical", "start", "end"), TABLE)
def test_next_run(schedule, last, now, catchup, logical, start, end):
    found = timetable_for(schedule).next_run(
        last, start_date=START if last is None or last.end > START else utc(2024, 1, 1),
        end_date=None, catchup=catchup, now=now,
    )  # fmt: skip
    assert (found.logical_date, found.data_interval) == (logical, DataInterval(start, end))
    assert found.create_after == end


@pytest.mark.parametrize(
    ("schedule", "last"),
    [(CRON_2AM, at(utc(2024, 5, 5, 2))), (EVENTS, at(utc(2024, 5, 20, 9))),
     (MULTI, at(utc(2024, 5, 4, 14, 30))), (DELTA_6H, at(utc(2024, 5, 5, 0)))],
)  # fmt: skip
def test_nothing_after_the_end_date_or_the_last_event(schedule, last):
    found = timetable_for(schedule).next_run(
        last, start_date=START, end_date=utc(2024, 5, 5, 1), catchup=True, now=NOW
    )
    assert found is None


def test_trigger_timetables_need_a_start_date_like_the_classic_ones():
    assert timetable_for(CRON_2AM).next_run(
        None, start_date=None, end_date=None, catchup=True, now=NOW
    ) is None  # fmt: skip


def test_a_start_date_between_ticks_waits_for_the_next_tick():
    found = timetable_for(CRON_2AM).next_run(
        None, start_date=utc(2024, 5, 1, 3), end_date=None, catchup=True, now=NOW
    )
    assert found.logical_date == utc(2024, 5, 2, 2)


@pytest.mark.parametrize(
    ("schedule", "at_", "expected"),
    [
        (CRON_2AM, NOW, DataInterval(NOW, NOW)),
        (CRON_2AM_1H, NOW, DataInterval(NOW - timedelta(hours=1), NOW)),
        (EVENTS, NOW, DataInterval(NOW, NOW)),
        ({**EVENTS, "restrict_to_events": True}, NOW, at(utc(2024, 5, 9, 9))),
        ({**EVENTS, "restrict_to_events": True}, utc(2024, 1, 1), at(utc(2024, 5, 3, 9))),
    ],
)
def test_manual_runs(schedule, at_, expected):
    assert timetable_for(schedule).manual_interval(at_) == expected


@pytest.mark.parametrize(
    ("schedule", "summary"),
    [
        (CRON_2AM, "At 02:00"),
        (CRON_2AM_1H, "At 02:00, covering the previous 1 hour"),
        (CRON_2AM_AMS, "At 02:00 (Europe/Amsterdam)"),
        (DELTA_6H, "Every 6 hours, at the tick"),
        (MULTI, "At 02:00; At 14:30"),
        (EVENTS, "4 events, 2024-05-03 09:00 to 2024-05-20 09:00 UTC"),
        ({**EVENTS, "description": "Quarter ends"}, "Quarter ends"),
        ({**EVENTS, "events": []}, "No events"),
    ],
)
def test_summaries(schedule, summary):
    assert timetable_for(schedule).summary == summary


def test_a_trigger_schedule_without_its_own_timezone_uses_the_dags():
    timetable = timetable_for(CRON_2AM, "Europe/Amsterdam")
    found = timetable.next_run(None, start_date=START, end_date=None, catchup=True, now=NOW)
    assert found.logical_date == utc(2024, 5, 1, 0)

from datetime import UTC, datetime, timedelta

import pytest

from dagkeeper.timetables import DataInterval, timetable_for

NOW = datetime(2024, 5, 10, 12, 30, tzinfo=UTC)
DAILY = {"kind": "preset", "expression": "@daily", "seconds": None}


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def runs(timetable, start_date, *, catchup=True, end_date=None, now=NOW, limit=10):
    found, last = [], None
    while len(found) < limit:
        nxt = timetable.next_run(last, start_date=start_date, end_date=end_date,
                                 catchup=catchup, now=now)  # fmt: skip
        if nxt is None:
            break
        found.append(nxt)
        last = nxt.data_interval
    return found


def test_daily_with_catchup_starts_at_the_start_date_with_day_long_intervals():
    first, second = runs(timetable_for(DAILY), utc(2024, 5, 1), limit=2)
    assert first.logical_date == utc(2024, 5, 1)
    assert first.data_interval == DataInterval(utc(2024, 5, 1), utc(2024, 5, 2))
    assert first.create_after == utc(2024, 5, 2)
    assert second.logical_date == utc(2024, 5, 2)


def test_without_catchup_the_first_run_is_the_latest_complete_interval():
    (first,) = runs(timetable_for(DAILY), utc(2024, 5, 1), catchup=False, limit=1)
    assert first.data_interval == DataInterval(utc(2024, 5, 9), utc(2024, 5, 10))


@pytest.mark.parametrize("seconds_past", [1, 30, 59])
def test_without_catchup_a_dag_published_just_after_a_tick_runs_the_interval_that_just_ended(
    seconds_past,
):
    """Within a minute of a tick, the interval that starts at it is not complete yet."""
    hourly = timetable_for({"kind": "cron", "expression": "0 * * * *", "seconds": None})
    now = utc(2024, 5, 10, 12, 0, seconds_past)
    (first,) = runs(hourly, utc(2024, 5, 1), catchup=False, now=now, limit=1)
    assert first.data_interval == DataInterval(utc(2024, 5, 10, 11), utc(2024, 5, 10, 12))


def test_a_start_date_between_ticks_aligns_to_the_next_tick():
    (first,) = runs(timetable_for(DAILY), utc(2024, 5, 1, 6), limit=1)
    assert first.logical_date == utc(2024, 5, 2)


def test_no_run_starts_after_the_end_date():
    found = runs(timetable_for(DAILY), utc(2024, 5, 1), end_date=utc(2024, 5, 3))
    assert [r.logical_date for r in found] == [utc(2024, 5, 1), utc(2024, 5, 2), utc(2024, 5, 3)]


def test_cron_in_a_dst_timezone_is_stored_as_utc_across_the_change():
    timetable = timetable_for({"kind": "cron", "expression": "0 2 * * *", "seconds": None},
                              "Europe/Amsterdam")  # fmt: skip
    found = runs(timetable, utc(2024, 3, 29), limit=4)
    assert [r.logical_date for r in found] == [
        utc(2024, 3, 29, 1), utc(2024, 3, 30, 1),
        utc(2024, 3, 31, 1),  # 02:00 does not exist that night: 03:00 CEST
        utc(2024, 4, 1, 0),  # 02:00 CEST
    ]  # fmt: skip
    assert all(r.logical_date.tzinfo == UTC for r in found)
    assert timetable.summary == "At 02:00 (Europe/Amsterdam)"


def test_timedelta_intervals_count_from_the_start_date():
    start = utc(2024, 5, 10, 1)
    timetable = timetable_for({"kind": "timedelta", "expression": None, "seconds": 7200},
                              start_date=start)  # fmt: skip
    assert timetable.summary == "Every 2 hours"
    found = runs(timetable, start, limit=3)
    assert [r.logical_date for r in found] == [start, start + timedelta(hours=2),
                                               start + timedelta(hours=4)]  # fmt: skip
    (latest,) = runs(timetable, start, catchup=False, limit=1)
    assert latest.data_interval == DataInterval(utc(2024, 5, 10, 9), utc(2024, 5, 10, 11))


def test_once_runs_once_at_the_start_date_and_none_never_runs():
    once = timetable_for({"kind": "once", "expression": "@once", "seconds": None})
    assert [r.logical_date for r in runs(once, utc(2024, 1, 1))] == [utc(2024, 1, 1)]
    never = timetable_for({"kind": "none", "expression": None, "seconds": None})
    assert runs(never, utc(2024, 1, 1)) == []
    assert never.summary == "Never: triggered runs only"


def test_no_start_date_means_no_scheduled_runs():
    assert runs(timetable_for(DAILY), None) == []


@pytest.mark.parametrize(
    ("schedule", "summary"),
    [
        ({"kind": "cron", "expression": "*/5 * * * *", "seconds": None}, "Every 5 minutes"),
        ({"kind": "preset", "expression": "@hourly", "seconds": None}, "Every hour"),
        (DAILY, "At 00:00"),
        ({"kind": "timedelta", "expression": None, "seconds": 90}, "Every 90 seconds"),
        ({"kind": "timedelta", "expression": None, "seconds": 86400}, "Every 1 day"),
    ],
)
def test_human_summaries(schedule, summary):
    assert timetable_for(schedule).summary == summary


def test_manual_runs_cover_the_interval_that_ended_last():
    interval = timetable_for(DAILY).manual_interval(NOW)
    assert interval == DataInterval(utc(2024, 5, 9), utc(2024, 5, 10))


def test_a_manual_run_just_after_a_tick_covers_the_interval_that_ended_at_it():
    hourly = timetable_for({"kind": "cron", "expression": "0 * * * *", "seconds": None})
    interval = hourly.manual_interval(utc(2024, 5, 10, 12, 0, 30))
    assert interval == DataInterval(utc(2024, 5, 10, 11), utc(2024, 5, 10, 12))

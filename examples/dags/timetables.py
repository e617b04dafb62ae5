"""The peer's timetables beyond cron: each DAG runs *at* its ticks.

- ``example_weekday_report``: 06:00 Amsterdam time on weekdays; each run covers the hour before.
- ``example_twice_daily``: at 02:00 and 14:30 UTC.
- ``example_every_six_hours``: every 6 hours from the start date (now, without catchup).
- ``example_board_meetings``: on listed dates only; a manual run counts as the latest meeting.

Backfill any of them from the DAG page (Backfill…) or with
``dagkeeper backfill create --dag-id example_weekday_report --from 2024-01-01 --to 2024-01-31``.
"""

from datetime import datetime, timedelta

from dagkeeper import (
    DAG,
    CronTriggerTimetable,
    DeltaTriggerTimetable,
    EventsTimetable,
    MultipleCronTriggerTimetable,
)
from dagkeeper.operators import BashOperator

START = datetime(2024, 1, 1)
SCHEDULES = {
    "example_weekday_report": CronTriggerTimetable(
        "0 6 * * 1-5", timezone="Europe/Amsterdam", interval=timedelta(hours=1)
    ),
    "example_twice_daily": MultipleCronTriggerTimetable("0 2 * * *", "30 14 * * *", timezone="UTC"),
    "example_every_six_hours": DeltaTriggerTimetable(timedelta(hours=6)),
    "example_board_meetings": EventsTimetable(
        [datetime(2024, 3, 14, 9), datetime(2024, 6, 13, 9), datetime(2024, 9, 12, 9)],
        restrict_to_events=True,
        description="Board meetings",
    ),
}

for dag_id, timetable in SCHEDULES.items():
    with DAG(dag_id, schedule=timetable, start_date=START, tags=["example", "timetables"]):
        BashOperator(
            task_id="report",
            bash_command="echo {{ data_interval_start }} to {{ data_interval_end }}",
        )

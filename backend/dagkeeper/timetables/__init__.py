"""Schedule maths from stored fields alone (no DAG file needed).

Classic data-interval semantics (`kinds.py`): a scheduled run covers ``[start, end)``, its
logical date is ``start``, and it may be created once ``end`` has passed.
"""

from dagkeeper.timetables.kinds import DataInterval, NextRun, Timetable
from dagkeeper.timetables.of_schedule import timetable_for

__all__ = ["DataInterval", "NextRun", "Timetable", "timetable_for"]

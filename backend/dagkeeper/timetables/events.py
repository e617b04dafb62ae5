"""The peer's EventsTimetable: runs at a fixed list of moments.

Each run is at one event, with an empty data interval at it. The peer
computes the next event once and stores it; we recompute it whenever runs are
created, so without catchup the next run is the latest event at or before now
that has not run yet (earlier missed ones are skipped), else the next future one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime

from dagkeeper.timetables.kinds import Bounds, DataInterval, NextRun, Timetable


class EventsTimetable(Timetable):
    periodic = False

    def __init__(
        self,
        events: list[datetime],
        restrict_to_events: bool = False,
        description: str | None = None,
    ):
        self.events = sorted(set(events))
        self.restrict_to_events = restrict_to_events
        if description:
            self.summary = description
        elif self.events:
            first, last = self.events[0], self.events[-1]
            self.summary = (
                f"{len(self.events)} events, {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC"
            )
        else:
            self.summary = "No events"

    def next_within(self, last: DataInterval | None, bounds: Bounds) -> NextRun | None:
        events = self.events
        first = bisect_right(events, last.end) if last else 0
        if bounds.start_date is not None:
            first = max(first, bisect_left(events, bounds.start_date))
        if not bounds.catchup:
            first = max(first, bisect_right(events, bounds.now) - 1)
        if first >= len(events):
            return None
        event = events[first]
        if bounds.past_end(event):
            return None
        return NextRun(event, DataInterval(event, event))

    def manual_interval(self, at: datetime) -> DataInterval:
        """At ``at``; restricted to events: at the latest event before it (or the first one)."""
        if not self.restrict_to_events or not self.events:
            return DataInterval(at, at)
        index = max(bisect_right(self.events, at) - 1, 0)
        return DataInterval(self.events[index], self.events[index])

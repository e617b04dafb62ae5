"""``dags parse --watch``: react to saved files within a second, rescan periodically.

File-system events (watchdog) are collected and debounced (an editor's save
is often several events) and then only the touched files are processed. A
full pass every ``rescan_interval`` seconds catches whatever events missed
(network file systems, a full event queue). A change to a ``.dagkeeperignore``
file or to a directory triggers a full pass. Every second the loop also takes
the "reparse now" requests users made in the UI, and its beacon tells the
database the processor is alive.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from dagkeeper.beacon import Beacon
from dagkeeper.processor.files import IGNORE_FILE
from dagkeeper.processor.requests import POLL_INTERVAL, take_requested
from dagkeeper.processor.scan import ScanSummary, scan

DEBOUNCE = 0.1  # seconds of quiet before a batch of events is processed
MAX_DELAY = 0.5  # never hold a batch longer than this, even under a stream of events
FULL = Path("/")  # marker: the next batch needs a full pass


class _Collector(FileSystemEventHandler):
    def __init__(self, events: queue.Queue[Path]):
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        for raw in filter(None, paths):
            path = Path(raw if isinstance(raw, str) else raw.decode())
            if (
                event.is_directory
                and event.event_type in ("moved", "deleted")
                or path.name == IGNORE_FILE
            ):
                self.events.put(FULL)
            elif path.suffix == ".py":
                self.events.put(path)


def _next_batch(events: queue.Queue[Path], timeout: float) -> set[Path] | None:
    """Paths touched in the next burst of events, or None if none came within ``timeout``."""
    try:
        batch = {events.get(timeout=timeout)}
    except queue.Empty:
        return None
    deadline = time.monotonic() + MAX_DELAY
    while True:
        try:
            batch.add(events.get(timeout=min(DEBOUNCE, max(0.0, deadline - time.monotonic()))))
        except queue.Empty:
            return batch


def watch(
    folder: Path,
    *,
    rescan_interval: float,
    stop: threading.Event | None = None,
    on_pass: Callable[[ScanSummary], None] | None = None,
) -> None:
    """Keep the database in step with ``folder`` until ``stop`` is set."""
    stop = stop or threading.Event()
    events: queue.Queue[Path] = queue.Queue()
    observer = Observer()
    observer.schedule(_Collector(events), str(folder), recursive=True)
    observer.start()
    beacon = Beacon("processor")
    try:
        beacon.maybe_beat()
        report = on_pass or (lambda summary: None)
        report(scan(folder))
        next_full = time.monotonic() + rescan_interval
        next_requests = 0.0
        while not stop.is_set():
            beacon.maybe_beat()
            if time.monotonic() >= next_requests:
                next_requests = time.monotonic() + POLL_INTERVAL
                requested = take_requested(folder)
                if requested:
                    report(scan(folder, force=True, only=requested))
            batch = _next_batch(events, timeout=min(0.2, max(0.0, next_full - time.monotonic())))
            if time.monotonic() >= next_full or (batch and FULL in batch):
                report(scan(folder))
                next_full = time.monotonic() + rescan_interval
            elif batch:
                report(scan(folder, only=batch))
    finally:
        observer.stop()
        observer.join()

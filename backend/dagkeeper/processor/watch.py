"""``dags parse --watch``: publish saved files within a second, and only complete ones.

File-system events (watchdog) do two jobs. They tell the write tracker which
files a writer still has open (written, not yet closed), updated in the
observer's thread so a read never races an event still in a queue; and they
name the files the next pass looks at. A file still being written waits; the
loop looks at it again until it is complete. A full pass every
``rescan_interval`` seconds catches whatever events missed (network file
systems, a full event queue). A change to a ``.dagkeeperignore`` file or to a
directory triggers a full pass. Every second the loop also takes the "reparse
now" requests users made in the UI, and its beacon tells the database the
processor is alive.

The DAG folder may be a symlink that a sync side-car swaps to a new revision:
the loop notices the new target, watches it instead, and publishes the new
revision in one pass (one transaction).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from dagkeeper.beacon import Beacon
from dagkeeper.config import load_settings
from dagkeeper.processor.files import IGNORE_FILE
from dagkeeper.processor.requests import POLL_INTERVAL, take_requested
from dagkeeper.processor.scan import DagFolderError, Scanner, ScanSummary
from dagkeeper.processor.settle import WriteTracker

DEBOUNCE = 0.05  # seconds of quiet before a batch of events is processed
MAX_DELAY = 0.5  # never hold a batch longer than this, even under a stream of events
RECHECK = 0.05  # how often the folder's link, and files still being written, are looked at
FULL = Path("/")  # marker: the next batch needs a full pass

log = logging.getLogger(__name__)


class _Collector(FileSystemEventHandler):
    def __init__(self, events: queue.Queue[Path], tracker: WriteTracker):
        self.events = events
        self.tracker = tracker

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        for number, raw in enumerate(paths):
            if not raw:
                continue
            path = Path(raw if isinstance(raw, str) else raw.decode())
            if event.is_directory and kind != "modified" or path.name == IGNORE_FILE:
                self.events.put(FULL)
            elif path.suffix == ".py" and not event.is_directory:
                if kind in ("created", "modified"):
                    self.tracker.written(str(path))
                elif kind == "closed" or (kind == "moved" and number == 1):
                    self.tracker.finished(str(path))  # closed by its writer, or renamed in whole
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


class _Observer:
    """A watchdog observer on the folder's current target, moved when the link is swapped."""

    def __init__(self, handler: FileSystemEventHandler):
        self.handler = handler
        self.observer = Observer()
        self.observer.start()
        self.root: Path | None = None

    def follow(self, root: Path) -> None:
        if root == self.root:
            return
        self.observer.unschedule_all()
        self.observer.schedule(self.handler, str(root), recursive=True, follow_symlink=True)
        self.root = root

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join()


def watch(
    folder: Path,
    *,
    rescan_interval: float,
    stop: threading.Event | None = None,
    on_pass: Callable[[ScanSummary], None] | None = None,
) -> None:
    """Keep the database in step with ``folder`` until ``stop`` is set."""
    stop = stop or threading.Event()
    folder = Path(os.path.abspath(folder))
    tracker = WriteTracker(load_settings().settle_seconds)
    scanner = Scanner(folder, tracker=tracker, defer_deletes=True)
    events: queue.Queue[Path] = queue.Queue()
    observer = _Observer(_Collector(events, tracker))
    report = on_pass or (lambda summary: None)
    beacon = Beacon("processor")
    try:
        beacon.maybe_beat()
        observer.follow(Path(os.path.realpath(folder)))
        report(scanner.run())
        next_full = time.monotonic() + rescan_interval
        next_requests = 0.0
        while not stop.is_set():
            beacon.maybe_beat()
            swapped = Path(os.path.realpath(folder)) != scanner.root
            batch = None if swapped else _next_batch(events, timeout=min(RECHECK, _left(next_full)))
            try:
                if time.monotonic() >= next_requests:
                    next_requests = time.monotonic() + POLL_INTERVAL
                    requested = take_requested()
                    if requested:
                        report(scanner.run(requested, force=True))
                if swapped and os.path.isdir(folder):
                    observer.follow(Path(os.path.realpath(folder)))
                    report(scanner.run(trusted=True))  # a swapped-in revision is complete
                elif time.monotonic() >= next_full or (batch and FULL in batch):
                    report(scanner.run())
                    next_full = time.monotonic() + rescan_interval
                elif batch or scanner.waiting:
                    report(scanner.run(_filelocs(scanner.root, batch or set())))
                elif swapped:
                    time.sleep(RECHECK)  # the link points nowhere (yet)
            except DagFolderError as error:
                log.warning("%s; trying again", error)
                time.sleep(RECHECK)
    finally:
        observer.stop()


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _filelocs(root: Path | None, paths: set[Path]) -> list[str]:
    """The event paths inside the revision being watched, relative to it."""
    if root is None:
        return []
    return [p.relative_to(root).as_posix() for p in paths if p.is_relative_to(root)]

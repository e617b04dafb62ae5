"""What the tasks themselves saw: an append-only file that proves no two executions overlapped.

Each execution of a ground-truth task takes an exclusive ``flock`` on its
lock file for as long as it lives (the kernel drops it when the process
dies, however it dies, on whichever "host" of this machine it runs) and
appends one line per event to the journal: ``start``, ``end``, or
``overlap`` if another execution still held the lock. Our own tables are
not consulted, so the check holds even if they lied.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

TASK_MODULE = '''
import fcntl, os, socket, time

GROUND = {ground!r}


def note(task_id, try_number, event):
    line = f"{{task_id}} {{try_number}} {{event}} {{socket.gethostname()}} {{os.getpid()}}\\n"
    fd = os.open(os.path.join(GROUND, "journal"), os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def guarded(task_id, try_number, seconds, lock=None):
    """Hold the lock named ``lock`` (default: the task) for ``seconds``, journalling it."""
    fd = os.open(os.path.join(GROUND, f"{{lock or task_id}}.lock"), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        note(task_id, try_number, "overlap")
        fcntl.flock(fd, fcntl.LOCK_EX)
    note(task_id, try_number, "start")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.05)
    note(task_id, try_number, "end")
'''


@dataclass(frozen=True)
class Event:
    task_id: str
    try_number: int
    event: str
    host: str
    pid: int


class GroundTruth:
    """A folder with the journal and the lock files; ``module()`` is the tasks' helper code."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o777)

    def module(self) -> str:
        """Python source to put at the top of a DAG file (defines ``guarded``)."""
        return textwrap.dedent(TASK_MODULE.format(ground=str(self.folder)))

    def events(self) -> list[Event]:
        journal = self.folder / "journal"
        if not journal.exists():
            return []
        events = []
        for line in journal.read_text().splitlines():
            task_id, try_number, event, host, pid = line.split(" ")
            events.append(Event(task_id, int(try_number), event, host, int(pid)))
        return events

    def of(self, task_id: str) -> list[tuple[int, str]]:
        return [(e.try_number, e.event) for e in self.events() if e.task_id == task_id]

    def overlaps(self) -> list[Event]:
        return [e for e in self.events() if e.event == "overlap"]

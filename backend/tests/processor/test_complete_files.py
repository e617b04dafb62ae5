"""Watch mode publishes a file only once it is complete (DESIGN.md invariant 9).

A writer that truncates a file and writes it in chunks (editors, ``cp``,
``rsync --inplace``) must never make its DAG vanish or show half its tasks,
while a file that really becomes empty does remove its DAGs.
"""

from __future__ import annotations

import threading
import time

import pytest
from watchdog.observers.api import BaseObserver, EventEmitter

from dagkeeper.processor import watch as watch_module
from dagkeeper.processor.watch import watch
from dagkeeper.testing.writers import write_in_place

from .helpers import dag_source, dags, versions, wait_for, write

TASKS = tuple(f"t{i}" for i in range(10))


@pytest.fixture
def watching(db, dags_folder):
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(dags_folder,), kwargs={"rescan_interval": 3600, "stop": stop}
    )
    thread.start()
    yield dags_folder
    stop.set()
    thread.join(20)
    assert not thread.is_alive()


class Sampler:
    """Reads the DAG table in a loop, counting reads where the DAG was missing or broken."""

    def __init__(self, dag_id: str):
        self.dag_id, self.missing, self.errors, self.reads = dag_id, 0, 0, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        while not self.stop.is_set():
            row = dags().get(self.dag_id)
            self.reads += 1
            self.missing += row is None or not row[1]
            self.errors += row is not None and row[2]
            time.sleep(0.005)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def test_in_place_writes_never_hide_the_dag_or_publish_half_a_file(watching):
    path = write(watching, "inplace.py", dag_source("inplace", tasks=TASKS))
    wait_for(lambda: "inplace" in dags())
    with Sampler("inplace") as sampler:
        for round_ in range(4):
            tasks = TASKS if round_ % 2 else (*TASKS, "extra")
            write_in_place(path, dag_source("inplace", tasks=tasks), [0.3, 0.15, 0.4])
            wait_for(lambda tasks=tasks: versions("inplace")[-1][2] == len(tasks))
    assert sampler.reads > 100 and (sampler.missing, sampler.errors) == (0, 0)
    assert {count for _, _, count in versions("inplace")} == {10, 11}


def test_truncated_file_held_open_keeps_its_dag(watching):
    path = write(watching, "held.py", dag_source("held"))
    wait_for(lambda: "held" in dags())
    with Sampler("held") as sampler, open(path, "w") as f:
        time.sleep(1.5)  # empty, still open for writing: longer than the settle window
        f.write(dag_source("held", tasks=("a", "b", "c")))
    wait_for(lambda: versions("held")[-1][2] == 3)
    assert sampler.missing == 0


def test_file_that_stays_empty_removes_its_dags_after_the_settle_window(watching):
    path = write(watching, "emptied.py", dag_source("emptied"))
    wait_for(lambda: "emptied" in dags())
    path.write_text("")
    wait_for(lambda: not dags()["emptied"][1])
    assert dags()["emptied"] == ("emptied.py", False, False, 1)


class _NoEvents(EventEmitter):
    """A file system that reports nothing (an NFS mount, a full event queue)."""

    def queue_events(self, timeout: float) -> None:
        time.sleep(timeout)


def test_periodic_rescan_keeps_a_folder_without_events_in_step(db, dags_folder, monkeypatch):
    monkeypatch.setattr(watch_module, "Observer", lambda: BaseObserver(_NoEvents))
    path = write(dags_folder, "quiet.py", dag_source("quiet"))
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(dags_folder,), kwargs={"rescan_interval": 0.5, "stop": stop}
    )
    thread.start()
    try:
        wait_for(lambda: "quiet" in dags())
        write_in_place(path, dag_source("quiet", tasks=TASKS), [0.1])
        wait_for(lambda: versions("quiet")[-1][2] == len(TASKS))
        path.unlink()
        wait_for(lambda: not dags()["quiet"][1])
    finally:
        stop.set()
        thread.join(20)
    assert [count for _, _, count in versions("quiet")] == [2, len(TASKS)]

"""Watch mode commits a saved change without waiting for the periodic rescan."""

from __future__ import annotations

import threading
import time

from dagkeeper.processor.watch import watch

from .helpers import dag_source, dags, versions, write


def _wait_for(condition, seconds: float = 15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met before the deadline")


def test_watch_mode_picks_up_a_saved_change(db, dags_folder):
    write(dags_folder, "live.py", dag_source("live"))
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(dags_folder,), kwargs={"rescan_interval": 3600, "stop": stop}
    )
    thread.start()
    try:
        _wait_for(lambda: "live" in dags())
        write(dags_folder, "live.py", dag_source("live", tasks=("a", "b", "c")))
        _wait_for(lambda: len(versions("live")) == 2)
        write(dags_folder, "added.py", dag_source("added"))
        _wait_for(lambda: "added" in dags())
        (dags_folder / "added.py").unlink()
        _wait_for(lambda: not dags()["added"][1])
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert dags() == {
        "live": ("live.py", True, False, 2),
        "added": ("added.py", False, False, 1),
    }

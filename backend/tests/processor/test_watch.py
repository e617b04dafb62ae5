"""Watch mode commits a saved change without waiting for the periodic rescan."""

from __future__ import annotations

import threading

from dagkeeper.processor.watch import watch

from .helpers import dag_source, dags, versions, wait_for, write


def test_watch_mode_picks_up_a_saved_change(db, dags_folder):
    write(dags_folder, "live.py", dag_source("live"))
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(dags_folder,), kwargs={"rescan_interval": 3600, "stop": stop}
    )
    thread.start()
    try:
        wait_for(lambda: "live" in dags())
        write(dags_folder, "live.py", dag_source("live", tasks=("a", "b", "c")))
        wait_for(lambda: len(versions("live")) == 2)
        write(dags_folder, "added.py", dag_source("added"))
        wait_for(lambda: "added" in dags())
        (dags_folder / "added.py").unlink()
        wait_for(lambda: not dags()["added"][1])
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert dags() == {
        "live": ("live.py", True, False, 2),
        "added": ("added.py", False, False, 1),
    }

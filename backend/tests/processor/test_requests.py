"""The watching processor takes "reparse now" requests and says it is alive."""

from __future__ import annotations

import threading

from sqlalchemy import select

from dagkeeper import db
from dagkeeper.models import utcnow
from dagkeeper.models.component import ComponentHeartbeat, ParseRequest
from dagkeeper.processor.watch import watch

from .helpers import versions, wait_for, write

# The task list lives in a file the processor does not watch, so only a reparse sees an edit.
READS_A_LIST = """
from datetime import datetime
from pathlib import Path
from dagkeeper import DAG
from dagkeeper.operators import EmptyOperator

names = Path(__file__).with_name("tasks.txt").read_text().split()
with DAG("listed", schedule=None, start_date=datetime(2024, 1, 1)):
    for name in names:
        EmptyOperator(task_id=name)
"""


def test_a_reparse_request_parses_an_unchanged_file_again_and_is_consumed(db, dags_folder):
    (dags_folder / "tasks.txt").write_text("a b")
    write(dags_folder, "listed.py", READS_A_LIST)
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(dags_folder,), kwargs={"rescan_interval": 3600, "stop": stop}
    )
    thread.start()
    try:
        wait_for(lambda: [v[2] for v in versions("listed")] == [2])
        with db_transaction() as session:
            (heartbeat,) = session.scalars(select(ComponentHeartbeat)).all()
            assert (heartbeat.kind, heartbeat.last_heartbeat <= utcnow()) == ("processor", True)
        (dags_folder / "tasks.txt").write_text("a b c")
        with db_transaction() as session:
            session.add(ParseRequest(fileloc="listed.py", requested_at=utcnow()))
        wait_for(lambda: [v[2] for v in versions("listed")] == [2, 3])
        with db_transaction() as session:
            assert session.scalars(select(ParseRequest)).all() == []
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


db_transaction = db.transaction

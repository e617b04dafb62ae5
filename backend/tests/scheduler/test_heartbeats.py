"""Running tries whose runner went silent are failed or retried, with a note in their log."""

import os
from datetime import timedelta

from sqlalchemy import update

from dagkeeper.db import transaction
from dagkeeper.models import TaskInstance, utcnow
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.scheduler.heartbeats import check_heartbeats
from dagkeeper.scheduler.runs import start_queued_runs
from dagkeeper.try_outcomes import HOSTNAME

from .factories import dag_doc, log_text, publish, task_doc, task_instance, trigger


def running_run(retries: int = 0) -> int:
    publish(dag_doc("beats", [task_doc("work", retries=retries, retry_delay=60)]))
    run_pk = trigger("beats")
    with transaction() as session:
        start_queued_runs(session, DocumentCache(), utcnow())
    return run_pk


def set_running(run_pk: int, hostname: str, pid: int, silent_for: float) -> None:
    beat = utcnow() - timedelta(seconds=silent_for)
    with transaction() as session:
        session.execute(
            update(TaskInstance)
            .where(TaskInstance.dag_run_id == run_pk)
            .values(
                state="running",
                try_number=1,
                hostname=hostname,
                pid=pid,
                start_date=beat,
                last_heartbeat_at=beat,
            )  # fmt: skip
        )


def check(timeout: float = 5.0) -> None:
    with transaction() as session:
        check_heartbeats(session, DocumentCache(), timeout, utcnow())


def test_a_silent_runner_on_another_host_is_failed_with_a_log_note(db):
    run_pk = running_run()
    set_running(run_pk, "gone-host", 4242, silent_for=60)
    check()
    ti = task_instance(run_pk, "work")
    assert ti.state == "failed"
    assert "no heartbeat from the runner (pid 4242 on gone-host) for over 5 s" in log_text(ti.id, 1)


def test_a_silent_runner_with_retries_left_goes_up_for_retry(db):
    run_pk = running_run(retries=1)
    set_running(run_pk, "gone-host", 4242, silent_for=60)
    check()
    ti = task_instance(run_pk, "work")
    assert ti.state == "up_for_retry"
    assert ti.next_try_at > utcnow() + timedelta(seconds=50)


def test_a_recent_heartbeat_or_a_live_local_process_keeps_the_try_running(db):
    run_pk = running_run()
    set_running(run_pk, "gone-host", 4242, silent_for=1)
    check()
    assert task_instance(run_pk, "work").state == "running"
    set_running(run_pk, HOSTNAME, os.getpid(), silent_for=60)
    check()
    assert task_instance(run_pk, "work").state == "running"

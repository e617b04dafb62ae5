"""Tries on several hosts through Celery and Redis: lost hosts, restarts, redelivery, cancels.

Every scenario ends with the tasks' own journal (:mod:`ground_truth`): no
execution of a task ever overlapped another one, and each ran as often as
its retries allow and no more.
"""

from __future__ import annotations

import textwrap

import pytest
from api.factories import add_user, bearer
from ground_truth import GroundTruth
from scheduler.factories import finished, log_text, task_instance, trigger, wait_for
from sqlalchemy import func, select

from dagkeeper import db
from dagkeeper.api import create_app
from dagkeeper.models import TaskInstance

pytestmark = pytest.mark.distributed

FANOUT = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import PythonOperator


def work(task, try_number, seconds):
    guarded(task.task_id, try_number, seconds[min(try_number, len(seconds)) - 1])


with DAG("fan", start_date=datetime(2024, 1, 1), max_active_tasks=32):
    root = PythonOperator(task_id="root", python_callable=work, op_kwargs={{"seconds": [0.1]}})
    for i in range({width}):
        root >> PythonOperator(task_id=f"t{{i}}", python_callable=work, retries=1,
                               retry_delay=0, op_kwargs={{"seconds": [{seconds}, 0.5]}})
    root >> PythonOperator(task_id="pinned", python_callable=work, queue="only_a",
                           op_kwargs={{"seconds": [{seconds}]}})
"""


def publish_fanout(hosts, ground: GroundTruth, width: int, seconds: float) -> None:
    source = textwrap.dedent(FANOUT.format(width=width, seconds=seconds))
    (hosts.dags_folder / "fan.py").write_text(ground.module() + source)
    hosts.parse()


@pytest.fixture
def ground(tmp_path):
    return GroundTruth(tmp_path / "ground")


def states(run_pk: int) -> dict[str, tuple[str, int, str | None]]:
    with db.read_session() as session:
        rows = session.execute(
            select(
                TaskInstance.task_id,
                TaskInstance.state,
                TaskInstance.try_number,
                TaskInstance.hostname,
            ).where(TaskInstance.dag_run_id == run_pk)
        ).all()
    return {task_id: (state, tries, host) for task_id, state, tries, host in rows}


def running_on(run_pk: int, hostname: str) -> set[str]:
    return {t for t, (s, _, h) in states(run_pk).items() if s == "running" and h == hostname}


def each_ran_once(ground: GroundTruth, task_ids) -> None:
    for task_id in task_ids:
        assert ground.of(task_id) == [(1, "start"), (1, "end")], task_id


def test_a_lost_worker_host_gets_its_tries_retried_exactly_as_configured(hosts, ground):
    publish_fanout(hosts, ground, width=8, seconds=6)
    a = hosts.worker("worker-a", concurrency=3, queues="default,only_a")
    hosts.worker("worker-b", concurrency=3)
    hosts.scheduler()
    run_pk = trigger("fan", "r1")
    wait_for(lambda: "pinned" in running_on(run_pk, "worker-a") and
             len(running_on(run_pk, "worker-a")) >= 2, timeout=90)  # fmt: skip
    client = bearer(create_app({"TESTING": True}), add_user(f"op-{run_pk}", "op"))
    alive = {w["hostname"]: w for w in client.get("/api/v1/workers").get_json()["workers"]}
    assert {h: w["state"] for h, w in alive.items()} == {"worker-a": "alive", "worker-b": "alive"}
    assert alive["worker-a"]["queues"] == ["default", "only_a"]
    assert {t["task_id"] for t in alive["worker-a"]["running"]} >= {"pinned"}

    killed = running_on(run_pk, "worker-a")
    hosts.kill(a)  # the host is gone: worker, runners and tasks at once
    assert wait_for(lambda: finished(run_pk), timeout=120) == "failed"  # pinned had no retries

    final = states(run_pk)
    assert ground.overlaps() == []
    assert final["pinned"][:2] == ("failed", 1)
    assert ground.of("pinned") == [(1, "start")]
    assert "no heartbeat from the runner" in log_text(task_instance(run_pk, "pinned").id, 1)
    for task_id in killed - {"pinned"}:
        assert final[task_id] == ("success", 2, "worker-b"), task_id
        assert ground.of(task_id) == [(1, "start"), (2, "start"), (2, "end")], task_id
    each_ran_once(ground, {f"t{i}" for i in range(8)} - killed)
    lost = client.get("/api/v1/workers").get_json()["workers"]
    assert {w["hostname"]: w["state"] for w in lost} == {"worker-a": "lost", "worker-b": "alive"}


@pytest.mark.parametrize("hosts", [{"DAGKEEPER_CELERY_VISIBILITY_TIMEOUT": "1"}], indirect=True)
def test_broker_redelivery_of_long_tasks_is_harmless(hosts, ground):
    publish_fanout(hosts, ground, width=2, seconds=16)  # outlives the broker's restore sweep
    hosts.worker("worker-a", concurrency=3, queues="default,only_a")
    hosts.worker("worker-b", concurrency=3)
    hosts.scheduler()
    run_pk = trigger("fan", "r1")
    assert wait_for(lambda: finished(run_pk), timeout=120) == "success"
    assert ground.overlaps() == []
    each_ran_once(ground, ["root", "t0", "t1", "pinned"])
    assert {tries for _, tries, _ in states(run_pk).values()} == {1}
    logs = hosts.logs()  # a second delivery was seen, by another worker or the same one
    assert "is not queued at try 1: nothing to do" in logs or "already running here" in logs


def with_queued_tries(hosts, ground, width: int, seconds: float, concurrency: int):
    """Two workers busy with a fan-out run while at least four tries wait queued in Redis."""
    publish_fanout(hosts, ground, width=width, seconds=seconds)
    hosts.worker("worker-a", concurrency=concurrency, queues="default,only_a")
    hosts.worker("worker-b", concurrency=concurrency)
    scheduler = hosts.scheduler()
    run_pk = trigger("fan", "r1")
    wait_for(lambda: sum(s == "queued" for s, _, _ in states(run_pk).values()) >= 4, timeout=90)
    return run_pk, scheduler


def test_a_scheduler_killed_and_restarted_loses_and_repeats_nothing(hosts, ground):
    run_pk, scheduler = with_queued_tries(hosts, ground, width=10, seconds=1, concurrency=2)
    hosts.kill(scheduler)
    hosts.scheduler()
    assert wait_for(lambda: finished(run_pk), timeout=120) == "success"
    assert ground.overlaps() == []
    each_ran_once(ground, ["root", "pinned", *(f"t{i}" for i in range(10))])


def test_a_redis_restart_loses_queued_messages_and_the_database_recovers_them(hosts, ground):
    run_pk, _ = with_queued_tries(hosts, ground, width=8, seconds=1.5, concurrency=1)
    hosts.redis.kill()  # no persistence: every queued message is gone
    hosts.redis.start()
    assert wait_for(lambda: finished(run_pk), timeout=150) == "success"
    assert ground.overlaps() == []
    each_ran_once(ground, ["root", "pinned", *(f"t{i}" for i in range(8))])


def test_clearing_a_try_running_on_another_host_stops_it_before_the_next_try(hosts, ground):
    publish_fanout(hosts, ground, width=1, seconds=120)
    hosts.worker("worker-a", concurrency=2, queues="default,only_a")
    hosts.scheduler()
    run_pk = trigger("fan", "r1")
    wait_for(lambda: running_on(run_pk, "worker-a") == {"t0", "pinned"}, timeout=90)
    wait_for(lambda: (1, "start") in ground.of("t0") and (1, "start") in ground.of("pinned"))
    client = bearer(create_app({"TESTING": True}), add_user(f"op-{run_pk}", "op"))
    cleared = client.post(
        "/api/v1/dags/fan/clearTaskInstances", json={"dag_run_ids": ["r1"], "task_ids": ["t0"]}
    )
    assert cleared.status_code == 200
    marked = client.patch(
        "/api/v1/dags/fan/dagRuns/r1/taskInstances/pinned", json={"state": "success"}
    )
    assert marked.status_code == 200
    assert wait_for(lambda: finished(run_pk), timeout=90) == "success"
    assert ground.overlaps() == []
    assert ground.of("t0") == [(1, "start"), (2, "start"), (2, "end")]
    assert ground.of("pinned") == [(1, "start")]  # stopped by the mark, never finished
    t0 = task_instance(run_pk, "t0")
    assert (t0.state, t0.try_number, t0.hostname) == ("success", 2, "worker-a")
    assert "cleared or marked meanwhile: stopping its task" in log_text(t0.id, 1)
    with db.read_session() as session:
        leases = select(func.count()).where(TaskInstance.last_heartbeat_at.is_not(None))
        assert session.scalar(leases) == 0

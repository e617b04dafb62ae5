"""The Workers list: live, lost and stopped workers with the tries running on them."""

from datetime import timedelta

from sqlalchemy import select, update

from dagkeeper import db
from dagkeeper.api.schemas.workers import WorkerCollection
from dagkeeper.models import DagRun, TaskInstance, Worker, utcnow

from .factories import add_user, bearer, grant


def add_workers() -> None:
    now = utcnow()
    with db.transaction() as s:
        s.add_all([
            Worker(hostname="host-a", queues="default,gpu", concurrency=4, pid=11,
                   started_at=now, last_heartbeat_at=now),
            Worker(hostname="host-b", queues="default", concurrency=2, pid=12,
                   started_at=now, last_heartbeat_at=now - timedelta(hours=1)),
            Worker(hostname="host-c", queues="default", concurrency=2, pid=13,
                   started_at=now, last_heartbeat_at=now, stopped_at=now),
        ])  # fmt: skip
        run_pk = s.scalar(select(DagRun.id).where(DagRun.dag_id == "reports"))
        s.execute(
            update(TaskInstance)
            .where(TaskInstance.dag_run_id == run_pk, TaskInstance.task_id == "transform")
            .values(hostname="host-a", pid=4242, queue="gpu", start_date=now)
        )


def test_workers_show_state_queues_and_running_tries(client, data):
    add_workers()
    body = client.get("/api/v1/workers").get_json()
    assert WorkerCollection().validate(body) == {}
    assert body["total_entries"] == 3
    workers = {w["hostname"]: w for w in body["workers"]}
    assert [w["state"] for w in body["workers"]] == ["alive", "lost", "stopped"]
    assert workers["host-a"]["queues"] == ["default", "gpu"]
    assert [(t["dag_id"], t["task_id"], t["try_number"]) for t in workers["host-a"]["running"]] == [
        ("reports", "transform", 1)
    ]
    assert workers["host-b"]["running"] == []


def test_a_task_instance_shows_its_queue_host_and_pid_per_try(client, data):
    add_workers()
    run = client.get("/api/v1/dags/reports/dagRuns").get_json()["dag_runs"][0]["run_id"]
    ti = client.get(f"/api/v1/dags/reports/dagRuns/{run}/taskInstances/transform").get_json()
    assert (ti["hostname"], ti["pid"], ti["queue"]) == ("host-a", 4242, "gpu")
    assert (ti["tries"][-1]["pid"], ti["tries"][-1]["queue"]) == (4242, "gpu")


def test_bad_paging_is_a_problem_naming_the_field(client, data):
    response = client.get("/api/v1/workers?limit=0")
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert "limit" in str(response.get_json()["errors"])


def test_running_tries_of_a_dag_the_caller_may_not_read_are_left_out(app, client, data):
    add_workers()
    with db.transaction() as s:
        grant(s, "reports", "finance")
    outsider = bearer(app, add_user("out", "viewer", teams=["marketing"]))
    insider = bearer(app, add_user("in", "viewer", teams=["finance"]))
    for caller, shown in ((outsider, []), (insider, ["transform"]), (client, ["transform"])):
        workers = {w["hostname"]: w for w in caller.get("/api/v1/workers").get_json()["workers"]}
        assert [t["task_id"] for t in workers["host-a"]["running"]] == shown

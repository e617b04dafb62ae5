"""``/ui/home``: component health from heartbeats, the window by state, problem DAGs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from dagkeeper import db
from dagkeeper.models import DagRun, utcnow
from dagkeeper.models.component import beat

from .factories import add_import_error, add_run, add_user, bearer, document, grant, publish


def test_a_component_that_stopped_beating_is_down(client, db, monkeypatch):
    monkeypatch.setenv("DAGKEEPER_COMPONENT_HEARTBEAT_INTERVAL", "2")
    now = utcnow()
    with db_transaction() as s:
        beat(s, "processor", "host-a", 10, now - timedelta(hours=1), now)
        beat(s, "scheduler", "host-a", 11, now - timedelta(hours=1), now - timedelta(seconds=7))
        beat(s, "scheduler", "host-b", 12, now - timedelta(minutes=5), now - timedelta(seconds=1))
    body = client.get("/ui/home").json
    assert body["heartbeat_interval"] == 2
    health = {(c["kind"], c["hostname"]): c["healthy"] for c in body["components"]}
    assert health == {
        ("processor", "host-a"): True,
        ("scheduler", "host-a"): False,  # 7 s silent: more than 3 beats missed
        ("scheduler", "host-b"): True,
    }
    # Not served from a cache: the next beat shows at once, though no change token moved.
    with db_transaction() as s:
        beat(s, "scheduler", "host-a", 11, now - timedelta(hours=1), utcnow())
    again = client.get("/ui/home").json
    assert all(c["healthy"] for c in again["components"])
    assert again["expected"] == ["processor", "scheduler"]


def test_deferred_tasks_and_the_celery_executor_expect_a_triggerer_and_workers(
    client, db, monkeypatch
):
    """Shown as down on the home page while none beats: the deferred tasks wait for nothing."""
    with db_transaction() as s:
        publish(s, document("waits"))
        add_run(s, "waits", 0, {"extract": "deferred"}, state="running")
    assert client.get("/ui/home").json["expected"] == ["processor", "scheduler", "triggerer"]
    monkeypatch.setenv("DAGKEEPER_EXECUTOR", "celery")
    assert client.get("/ui/home").json["expected"] == [
        "processor", "scheduler", "worker", "triggerer",
    ]  # fmt: skip


def test_window_counts_runs_and_tasks_by_state_and_ranks_problem_dags(client, db):
    now = utcnow()
    with db_transaction() as s:
        publish(s, document("fast"))
        publish(s, document("slow"))
        add_run(s, "fast", 0, {"extract": "success", "transform": "success", "load": "success"})
        add_run(s, "fast", 1, {"extract": "failed", "transform": "upstream_failed", "load": None},
                state="failed")  # fmt: skip
        add_run(s, "slow", 0, {"extract": "success"})
        add_run(s, "slow", 1, {"extract": "running"}, state="running")
        add_run(s, "slow", 2, {"extract": "success"})  # outside the window
        add_import_error(s, "broken.py", "broken.py:1: SyntaxError")
        s.flush()
        for dag_id, seconds in (("fast", 10), ("slow", 600)):
            s.execute(
                update(DagRun).where(DagRun.dag_id == dag_id)
                .values(start_date=now - timedelta(hours=1),
                        end_date=now - timedelta(hours=1) + timedelta(seconds=seconds))
            )  # fmt: skip
        s.execute(
            update(DagRun).where(DagRun.dag_id == "slow", DagRun.run_id.like("%01-03%"))
            .values(start_date=now - timedelta(days=3), end_date=now - timedelta(days=3))
        )  # fmt: skip
    body = client.get("/ui/home").json
    assert body["runs"] == {"success": 2, "failed": 1, "running": 1}
    assert body["task_instances"] == {
        "success": 4, "failed": 1, "upstream_failed": 1, "none": 1, "running": 1
    }  # fmt: skip
    assert [d["dag_id"] for d in body["slowest_dags"]] == ["slow", "fast"]
    assert body["slowest_dags"][0]["mean_seconds"] == 600
    assert body["failing_dags"] == [{"dag_id": "fast", "runs": 2, "failed": 1, "mean_seconds": 10}]
    assert body["import_errors"]["total"] == 1
    assert body["import_errors"]["recent"][0]["filename"] == "broken.py"
    week = client.get("/ui/home?hours=168").json
    assert week["runs"]["success"] == 3
    assert client.get("/ui/home?hours=0").status_code == 400
    assert "hours" in client.get("/ui/home?hours=x").json["errors"]


db_transaction = db.transaction


def test_a_caller_sees_only_the_dags_and_import_errors_they_may_read(app, db):
    with db_transaction() as s:
        publish(s, document("open"))
        publish(s, document("secret"), fileloc="secret.py")
        grant(s, "secret", "finance")
        add_run(s, "open", 0, {"extract": "success"})
        add_run(s, "secret", 0, {"extract": "failed"}, state="failed")
        add_import_error(s, "secret.py", "secret.py:1: SyntaxError")
        add_import_error(s, "new.py", "new.py:1: SyntaxError")  # no DAG yet: shown to all
        s.execute(update(DagRun).values(start_date=utcnow(), end_date=utcnow()))
    outsider = bearer(app, add_user("outsider", "viewer", teams=["marketing"])).get("/ui/home")
    assert outsider.json["runs"] == {"success": 1}
    assert [d["dag_id"] for d in outsider.json["slowest_dags"]] == ["open"]
    assert outsider.json["failing_dags"] == []
    assert [e["filename"] for e in outsider.json["import_errors"]["recent"]] == ["new.py"]
    assert outsider.json["import_errors"]["total"] == 1
    insider = bearer(app, add_user("insider", "viewer", teams=["finance"])).get("/ui/home")
    assert insider.json["runs"] == {"success": 1, "failed": 1}
    assert insider.json["import_errors"]["total"] == 2

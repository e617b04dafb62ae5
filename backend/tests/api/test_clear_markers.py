"""Clearing an ExternalTaskMarker clears the external task, what follows it, and onwards."""

from __future__ import annotations

from dagkeeper import db as database
from dagkeeper.api.clear import ClearRequest, clear
from dagkeeper.models import DagRun, TaskInstance

from .factories import add_run, document, publish, task


def marker(task_id: str, dag_id: str, external_task_id: str, **values) -> dict:
    template = {"external_dag_id": dag_id, "external_task_id": external_task_id,
                "logical_date": "{{ logical_date.isoformat() }}", "recursion_depth": 10}  # fmt: skip
    template.update(values)
    return task(task_id, operator="ExternalTaskMarker", template_fields=sorted(template),
                template_values=template)  # fmt: skip


def setup_chain(s) -> None:
    """parent.mark -> child.wait >> child.load, child.mark2 -> grandchild.final, all succeeded."""
    publish(s, document("parent", tasks=[task("start"), marker("mark", "child", "wait")]))
    publish(s, document("child", tasks=[task("wait"), task("load"), marker("mark2", "grand", "final")],
                        edges=[["wait", "load"], ["load", "mark2"]]))  # fmt: skip
    publish(s, document("grand", tasks=[task("first"), task("final")]))
    publish(s, document("other", tasks=[task("wait")]))
    add_run(s, "parent", 0, {"start": "success", "mark": "success"})
    add_run(s, "child", 0, {"wait": "success", "load": "success", "mark2": "success"})
    add_run(s, "child", 1, {"wait": "success", "load": "success", "mark2": "success"})
    add_run(s, "grand", 0, {"first": "success", "final": "success"})


def states() -> dict[tuple[str, str], str | None]:
    with database.read_session() as s:
        rows = s.execute(
            TaskInstance.__table__.select()
            .with_only_columns(
                DagRun.dag_id, DagRun.run_id, TaskInstance.task_id, TaskInstance.state
            )
            .join(DagRun, DagRun.id == TaskInstance.dag_run_id)
        ).all()
    return {(d, f"{r[11:21]}.{t}"): st for d, r, t, st in rows}


def test_clearing_a_marker_clears_the_external_tasks_recursively(client, db):
    with database.transaction() as s:
        setup_chain(s)
        run_id = s.query(DagRun.run_id).filter_by(dag_id="parent").scalar()
    body = {"dag_run_ids": [run_id], "task_ids": ["mark"], "dry_run": True}
    preview = client.post("/api/v1/dags/parent/clearTaskInstances", json=body).json
    cleared = [(t["dag_id"], t["task_id"], t["state"]) for t in preview["task_instances"]]
    assert cleared == [
        ("parent", "mark", "success"), ("child", "load", "success"),
        ("child", "mark2", "success"), ("child", "wait", "success"),
        ("grand", "final", "success"),
    ]  # fmt: skip
    assert set(states().values()) == {"success"}  # a dry run writes nothing
    response = client.post(
        "/api/v1/dags/parent/clearTaskInstances", json={**body, "dry_run": False}
    )
    assert response.json == {**preview}
    after = states()
    assert [k for k, v in sorted(after.items()) if v is None] == [
        ("child", "2024-01-01.load"), ("child", "2024-01-01.mark2"), ("child", "2024-01-01.wait"),
        ("grand", "2024-01-01.final"), ("parent", "2024-01-01.mark"),
    ]  # fmt: skip
    assert after[("child", "2024-01-02.wait")] == "success"  # another date: untouched


def test_the_recursion_depth_and_a_missing_run_stop_the_clear(client, db):
    with database.transaction() as s:
        setup_chain(s)
        publish(s, document("shallow", tasks=[marker("mark", "child", "wait", recursion_depth=1)]))
        publish(s, document("lonely", tasks=[marker("mark", "other", "wait")]))
        add_run(s, "shallow", 0, {"mark": "success"})
        add_run(s, "lonely", 0, {"mark": "success"})  # "other" has no run at that date
        run_id = s.query(DagRun.run_id).filter_by(dag_id="lonely").scalar()
    body = {"dag_run_ids": [run_id], "task_ids": ["mark"], "dry_run": True}
    shallow = client.post("/api/v1/dags/shallow/clearTaskInstances", json=body).json
    assert [(t["dag_id"], t["task_id"]) for t in shallow["task_instances"]] == [
        ("shallow", "mark"), ("child", "load"), ("child", "mark2"), ("child", "wait"),
    ]  # fmt: skip
    lonely = client.post("/api/v1/dags/lonely/clearTaskInstances", json=body).json
    assert [(t["dag_id"], t["task_id"]) for t in lonely["task_instances"]] == [("lonely", "mark")]


def test_a_marker_clears_only_in_dags_the_caller_may_edit(db):
    """The API passes the caller's editable DAGs; a DAG outside them stops the clear there."""
    with database.transaction() as s:
        setup_chain(s)
    with database.transaction() as s:
        run_id = s.query(DagRun.run_id).filter_by(dag_id="parent").scalar()
        request = ClearRequest("parent", [run_id], ["mark"], False, False, False, True,
                               may_follow=lambda dag_id: dag_id != "child")  # fmt: skip
        cleared, unknown = clear(s, request)
    assert [(d, t) for d, _, t, _, _ in cleared] == [("parent", "mark")] and unknown == set()

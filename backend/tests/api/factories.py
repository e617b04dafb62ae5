"""Test data written through the models, as the processor/scheduler/runner would.

No authoring import: documents are hand-written dicts passed through
``serialization.dumps`` and ``DagVersion.build``, so API tests need no DAG file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from dagkeeper import db
from dagkeeper.accounts.tokens import issue_token
from dagkeeper.accounts.users import create_user
from dagkeeper.models import (
    ChangeKind,
    Dag,
    DagAccess,
    DagCode,
    DagImportError,
    DagRun,
    DagTag,
    DagVersion,
    RenderedTaskFields,
    TaskInstance,
    TaskLog,
    record_change,
)  # fmt: skip
from dagkeeper.serialization import digest, dumps, loads

START = datetime(2024, 1, 1, tzinfo=UTC)


def task(task_id: str, group: str | None = None, **overrides: Any) -> dict[str, Any]:
    doc = {
        "task_id": task_id,
        "label": task_id.rsplit(".", 1)[-1],
        "operator": "BashOperator",
        "group": group,
        "retries": 1,
        "retry_delay": 300,
        "trigger_rule": "all_success",
        "execution_timeout": None,
        "owner": "data",
        "doc_md": None,
        "template_fields": ["bash_command"],
        "template_values": {"bash_command": "echo {{ ds }}"},
        "ui_color": "#f0ede4",
        "ui_fgcolor": "#000",
    }
    doc.update(overrides)
    return doc


def group(group_id: str, parent: str | None = None) -> dict[str, Any]:
    return {
        "group_id": group_id,
        "label": group_id.rsplit(".", 1)[-1],
        "parent": parent,
        "tooltip": None,
        "ui_color": "CornflowerBlue",
        "ui_fgcolor": "#000",
    }


def param(default=None, type=None, required=False, position=0, **more) -> dict[str, Any]:
    return {
        "default": default, "type": type, "description": more.get("description"),
        "title": None, "enum": more.get("enum"), "minimum": more.get("minimum"),
        "maximum": more.get("maximum"), "required": required, "position": position,
    }  # fmt: skip


def document(
    dag_id: str,
    tasks: list[dict] | None = None,
    edges: list[list[str]] | None = None,
    groups: list[dict] | None = None,
    params: dict[str, dict] | None = None,
    schedule: dict | None = None,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    tasks = tasks if tasks is not None else [task("extract"), task("transform"), task("load")]
    if edges is None:
        ids = [t["task_id"] for t in tasks]
        edges = [[a, b] for a, b in zip(ids, ids[1:], strict=False)]
    return {
        "dag_id": dag_id,
        "description": f"the {dag_id} pipeline",
        "doc_md": f"# {dag_id}",
        "schedule": schedule or {"kind": "cron", "expression": "@daily", "seconds": None},
        "timezone": "UTC",
        "start_date": START.isoformat(),
        "end_date": None,
        "catchup": False,
        "max_active_runs": 16,
        "max_active_tasks": 16,
        "owners": ["data"],
        "tags": tags if tags is not None else ["example"],
        "params": params or {},
        "default_args": {"retries": 1},
        "tasks": tasks,
        "task_groups": groups or [],
        "edges": edges,
    }


def publish(session: Session, doc: dict[str, Any], fileloc: str | None = None, **dag_fields):
    """Insert or update a DAG with a new version of ``doc``, as the processor would."""
    fileloc = fileloc or f"{doc['dag_id']}.py"
    data = dumps(doc)
    source = f"# source of {doc['dag_id']}\n{digest(data)}\n"
    code = DagCode(fileloc=fileloc, source_hash=digest(source.encode()), source=source)
    session.add(code)
    dag = session.get(Dag, doc["dag_id"])
    if dag is None:
        dag = Dag(dag_id=doc["dag_id"], fileloc=fileloc, schedule_kind=doc["schedule"]["kind"])
        session.add(dag)
    session.flush()
    number = dag.version_number + 1
    version = DagVersion.build(data, loads(data), version_number=number, dag_code_id=code.id)
    session.add(version)
    session.flush()
    dag.description = doc["description"]
    dag.owners = ",".join(sorted(doc["owners"]))
    dag.schedule_expression = doc["schedule"]["expression"]
    dag.schedule_summary = "At 00:00"
    dag.start_date = START
    dag.current_version_id = version.id
    dag.version_number = number
    dag.last_parsed_at = datetime.now(UTC)
    dag.tags = [DagTag(name=t) for t in sorted(set(doc["tags"]))]
    for name, value in dag_fields.items():
        setattr(dag, name, value)
    record_change(session, [(dag.dag_id, ChangeKind.DAG)])
    return version


def add_run(
    session: Session,
    dag_id: str,
    index: int,
    states: dict[str, str | None] | None = None,
    state: str = "success",
    try_number: int = 1,
) -> DagRun:
    """Run number ``index`` (daily from START) with one task instance per ``states`` item."""
    dag = session.get(Dag, dag_id)
    logical_date = START + timedelta(days=index)
    run = DagRun(
        dag_id=dag_id,
        run_id=f"scheduled__{logical_date.isoformat()}",
        run_type="scheduled",
        state=state,
        logical_date=logical_date,
        data_interval_start=logical_date,
        data_interval_end=logical_date + timedelta(days=1),
        dag_version_id=dag.current_version_id,
        start_date=logical_date + timedelta(days=1),
    )
    session.add(run)
    session.flush()
    for task_id, ti_state in (states or {}).items():
        session.add(
            TaskInstance(
                dag_run_id=run.id, dag_id=dag_id, task_id=task_id, state=ti_state,
                try_number=try_number if ti_state else 0, max_tries=2, operator="BashOperator",
                hostname="worker-1",
            )
        )  # fmt: skip
    session.flush()
    record_change(session, [(dag_id, ChangeKind.RUN)])
    return run


def add_log(session: Session, ti: TaskInstance, try_number: int, chunks: list[str]) -> None:
    offset = 0
    for chunk in chunks:
        session.add(
            TaskLog(task_instance_id=ti.id, try_number=try_number, offset=offset, content=chunk)
        )
        offset += len(chunk)


def add_rendered(session: Session, ti: TaskInstance, fields: dict[str, Any]) -> None:
    session.add(
        RenderedTaskFields(
            task_instance_id=ti.id, try_number=ti.try_number, rendered=json.dumps(fields)
        )
    )


def add_import_error(session: Session, fileloc: str, message: str) -> None:
    session.add(
        DagImportError(fileloc=fileloc, message=message, stacktrace=f"Traceback\n{message}")
    )
    record_change(session, [(None, ChangeKind.IMPORT_ERROR)])


def standard_dataset() -> None:
    """Two DAGs with runs, logs and an import error: enough for every endpoint."""
    with db.transaction() as s:
        publish(
            s,
            document(
                "etl",
                tasks=[task("extract"), task("transform.clean", group="transform"),
                       task("transform.join", group="transform"), task("load")],
                edges=[["extract", "transform.clean"], ["transform.clean", "transform.join"],
                       ["transform.join", "load"]],
                groups=[group("transform")],
                params={"count": param(3, "integer", minimum=1, maximum=10),
                        "mode": param("fast", "string", enum=["fast", "slow"]),
                        "target": param(None, "string", required=True)},
                tags=["etl", "daily"],
            ),
        )  # fmt: skip
        publish(s, document("reports", tags=["reports"]), is_paused=True)
        add_run(s, "etl", 0, {"extract": "success", "transform.clean": "success",
                              "transform.join": "success", "load": "success"})  # fmt: skip
        run = add_run(
            s, "etl", 1, {"extract": "success", "transform.clean": "failed",
                          "transform.join": "upstream_failed", "load": "upstream_failed"},
            state="failed",
        )  # fmt: skip
        s.flush()
        tis = {ti.task_id: ti for ti in s.query(TaskInstance).filter_by(dag_run_id=run.id)}
        add_log(s, tis["transform.clean"], 1, ["line one\n", "line two\n", "boom\n"])
        add_rendered(s, tis["transform.clean"], {"bash_command": "echo 2024-01-02"})
        add_run(s, "reports", 0, {"extract": "success", "transform": "running", "load": None},
                state="running")  # fmt: skip
        add_import_error(s, "broken.py", "broken.py:3: SyntaxError: invalid syntax")


def add_user(username: str, role: str, *, teams=(), password: str | None = None) -> str:
    """A user with a personal API token; returns the token text."""
    with db.transaction() as s:
        user = create_user(s, username, role, password, list(teams))
        _, text = issue_token(s, user.id, "tests")
    return text


def bearer(app, token: str | None):
    """A test client sending ``token`` on every request (None: anonymous)."""
    client = app.test_client()
    if token is not None:
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def grant(session: Session, dag_id: str, principal: str, *, edit: bool = False) -> None:
    """A per-DAG grant, as the processor publishes ``access_control``."""
    session.add(DagAccess(dag_id=dag_id, principal=principal, can_read=True, can_edit=edit))
    record_change(session, [(dag_id, ChangeKind.DAG)])

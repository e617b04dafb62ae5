"""Templates and task code read variables and connections; secrets never reach the UI."""

import json
import subprocess
import sys

from scheduler.factories import log_text, task_instance
from sqlalchemy import select

from dagkeeper.db import read_session, transaction
from dagkeeper.models import Connection, RenderedTaskFields
from dagkeeper.sdk import Variable

from .test_runner import queued_try

SOURCE = """
from datetime import datetime
from dagkeeper import DAG, Variable
from dagkeeper.operators import BashOperator, PythonOperator
from dagkeeper.sdk import BaseHook

def use_connection():
    conn = BaseHook.get_connection("warehouse")
    print("connecting with", conn.password, "to", conn.host)
    print("token is", Variable.get("api_token"))

with DAG("solo", start_date=datetime(2024, 1, 1)):
    BashOperator(
        task_id="hello",
        bash_command=(
            "echo {{ var.value.region }} {{ var.json.limits.max }} {{ conn.warehouse.host }}"
            ":{{ conn.warehouse.port }} {{ var.value.get('missing', 'fallback') }}"
            " {{ conn.warehouse.password }}"
        ),
        env={"DB_PASSWORD": "{{ conn.warehouse.password }}", "REGION": "{{ var.value.region }}"},
    )
    PythonOperator(task_id="code", python_callable=use_connection)
"""


def _setup(sqlite_db, dags_folder, monkeypatch):
    Variable.set("region", "eu-west-1")
    Variable.set("api_token", "tok-4567")
    monkeypatch.setenv("DAGKEEPER_VAR_LIMITS", '{"max": 7}')
    with transaction() as session:
        session.add(
            Connection(conn_id="warehouse", conn_type="postgres", host="db.internal",
                       port=5432, password="pw-secret-9")
        )  # fmt: skip
    return queued_try(dags_folder, SOURCE)


def _run(task_id: str) -> None:
    """In its own process, as the executor runs it, so its output reaches the task log."""
    command = ["tasks", "run", "solo", "r1", task_id, "--try", "1"]
    subprocess.run([sys.executable, "-m", "dagkeeper", *command], check=True)


def _rendered(ti_id: int) -> dict:
    with read_session() as session:
        text = session.scalar(
            select(RenderedTaskFields.rendered).where(RenderedTaskFields.task_instance_id == ti_id)
        )
    return json.loads(text)


def test_templates_read_variables_connections_and_mask_secrets(sqlite_db, dags_folder, monkeypatch):
    run_pk = _setup(sqlite_db, dags_folder, monkeypatch)
    _run("hello")
    ti = task_instance(run_pk, "hello")
    assert ti.state == "success"
    log = log_text(ti.id, 1)
    assert "eu-west-1 7 db.internal:5432 fallback ***" in log  # the command ran with the password
    assert "pw-secret-9" not in log
    rendered = _rendered(ti.id)
    assert rendered["bash_command"].endswith("fallback ***")
    assert rendered["env"] == {"DB_PASSWORD": "***", "REGION": "eu-west-1"}


def test_task_code_reads_connections_and_the_log_masks_what_it_printed(
    sqlite_db, dags_folder, monkeypatch
):
    run_pk = _setup(sqlite_db, dags_folder, monkeypatch)
    _run("code")
    log = log_text(task_instance(run_pk, "code").id, 1)
    assert "connecting with *** to db.internal" in log
    assert "token is ***" in log
    assert "pw-secret-9" not in log and "tok-4567" not in log

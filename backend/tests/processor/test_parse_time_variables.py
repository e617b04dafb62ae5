"""A DAG file may read variables while it is parsed; which ones is recorded with the file."""

from __future__ import annotations

import json

from sqlalchemy import select

from dagkeeper.db import read_session
from dagkeeper.models import ParseVariableRead
from dagkeeper.processor.scan import scan
from dagkeeper.sdk import Variable

from .helpers import dag_source, dags, document, import_errors, write

READS = """
from dagkeeper import Variable
TABLES = Variable.get("tables", deserialize_json=True)
OWNER = Variable.get("owner", default_var="nobody")
for name in TABLES:
    EmptyOperator(task_id=f"load_{name}", dag=dag)
"""


def reads() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with read_session() as session:
        for row in session.scalars(select(ParseVariableRead).order_by(ParseVariableRead.key)):
            found.setdefault(row.fileloc, []).append(row.key)
    return found


def test_variables_read_at_parse_time_shape_the_dag_and_are_recorded(db, dags_folder):
    Variable.set("tables", ["users", "orders"], serialize_json=True)
    write(dags_folder, "dynamic.py", dag_source("dynamic", extra=READS))
    scan(dags_folder)
    assert import_errors() == {}
    tasks = {t["task_id"] for t in json.loads(document("dynamic"))["tasks"]}
    assert {"load_users", "load_orders"} <= tasks
    assert reads() == {"dynamic.py": ["owner", "tables"]}


def test_an_environment_override_is_read_at_parse_time(db, dags_folder, monkeypatch):
    monkeypatch.setenv("DAGKEEPER_VAR_TABLES", '["events"]')
    write(dags_folder, "dynamic.py", dag_source("dynamic", extra=READS))
    scan(dags_folder)
    assert "load_events" in {t["task_id"] for t in json.loads(document("dynamic"))["tasks"]}


def test_a_missing_variable_is_an_import_error_and_still_recorded(db, dags_folder):
    write(dags_folder, "dynamic.py", dag_source("dynamic", extra=READS))
    scan(dags_folder)
    assert "KeyError" in import_errors()["dynamic.py"]
    assert "Variable tables does not exist" in import_errors()["dynamic.py"]
    assert dags() == {}
    assert reads() == {"dynamic.py": ["tables"]}
    (dags_folder / "dynamic.py").unlink()
    scan(dags_folder)
    assert reads() == {}

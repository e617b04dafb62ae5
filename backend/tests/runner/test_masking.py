"""A try's log and rendered fields hide secret values; its process never sees the DB URL."""

from __future__ import annotations

import json
import subprocess
import sys

from scheduler.factories import log_text, task_instance

from dagkeeper import db as database
from dagkeeper.masking import MASK
from dagkeeper.models import RenderedTaskFields

from .test_runner import queued_try

SOURCE = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import BashOperator

with DAG("solo", start_date=datetime(2024, 1, 1), params={"api_key": "k-0123456789"}):
    BashOperator(
        task_id="hello",
        bash_command=(
            "echo key={{ params.api_key }}; echo conf={{ dag_run.conf.db_password }}; "
            "echo env=$SERVICE_TOKEN; echo url=[$DAGKEEPER_DB_URL] secret=[$DAGKEEPER_SECRET_KEY]"
        ),
        env={"SERVICE_TOKEN": "tok-abcdef123", "PATH": "/usr/bin:/bin"},
    )
"""


def test_secret_values_are_masked_in_the_log_and_rendered_fields(db, dags_folder, monkeypatch):
    monkeypatch.setenv("DAGKEEPER_SECRET_KEY", "signing-key-5678")
    run_pk = queued_try(dags_folder, SOURCE, conf=json.dumps({"db_password": "pw-conf-4321"}))
    subprocess.run(
        [sys.executable, "-m", "dagkeeper", "tasks", "run", "solo", "r1", "hello", "--try", "1"],
        check=True,
    )
    ti = task_instance(run_pk, "hello")
    log = log_text(ti.id, 1)
    assert f"key={MASK}" in log and f"conf={MASK}" in log and f"env={MASK}" in log
    assert "url=[] secret=[]" in log, "a task's process gets no private DAGKEEPER_* settings"
    for secret in ("k-0123456789", "pw-conf-4321", "tok-abcdef123", db, "signing-key-5678"):
        assert secret not in log
    with database.read_session() as session:
        rendered = json.loads(session.get(RenderedTaskFields, (ti.id, 1)).rendered)
    assert rendered["env"]["SERVICE_TOKEN"] == MASK
    assert "k-0123456789" not in rendered["bash_command"] and MASK in rendered["bash_command"]

"""Tries forked from a DAG's template run the code on disk when they start, not the imported copy.

The local executor's zygote imports a DAG file once per DAG (a template) and
forks that DAG's runners from it; a later try of the same DAG, from the same
template, must still see a DAG file or a helper module changed in between.
"""

import json
import textwrap

from sqlalchemy import select

from dagkeeper.db import read_session
from dagkeeper.models import RETURN_KEY, RunState, XCom

from .factories import (
    finished,
    publish_dag_file,
    running_scheduler,
    task_instance,
    trigger,
    wait_for,
)

DAG_FILE = """
from datetime import datetime
from dagkeeper import DAG, task
import helpers

EXTRA = {extra!r}

with DAG("versioned", start_date=datetime(2024, 1, 1)):
    @task
    def which():
        return helpers.VALUE + EXTRA

    which()
"""


def _write(dags_folder, helper: str, extra: str):
    (dags_folder / "helpers.py").write_text(f"VALUE = {helper!r}\n")
    path = dags_folder / "versioned.py"
    path.write_text(textwrap.dedent(DAG_FILE.format(extra=extra)))
    return path


def _result(run_pk: int):
    ti = task_instance(run_pk, "which")
    with read_session() as session:
        value = session.scalar(
            select(XCom.value).where(XCom.task_instance_id == ti.id, XCom.key == RETURN_KEY)
        )
    return json.loads(value)


def test_a_changed_dag_file_or_helper_module_reaches_the_next_try(db, dags_folder):
    publish_dag_file(_write(dags_folder, "a", ""), dags_folder)
    with running_scheduler():
        runs = [trigger("versioned", run_id="first")]
        assert wait_for(lambda: finished(runs[0])) == RunState.SUCCESS
        _write(dags_folder, "bb", "")  # the helper changed, the DAG file did not
        runs.append(trigger("versioned", run_id="second"))
        assert wait_for(lambda: finished(runs[1])) == RunState.SUCCESS
        _write(dags_folder, "bb", "!!!")  # the DAG file changed
        runs.append(trigger("versioned", run_id="third"))
        assert wait_for(lambda: finished(runs[2])) == RunState.SUCCESS
    assert [_result(run) for run in runs] == ["a", "bb", "bb!!!"]

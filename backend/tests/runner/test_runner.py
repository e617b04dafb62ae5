"""The task runner on its own: claiming a try, a missing task, the CLI command."""

import json
import os
import subprocess
import sys
import textwrap

from scheduler.factories import log_text, publish_dag_file, task_instance, trigger
from sqlalchemy import update
from sqlalchemy.sql.compiler import SQLCompiler

from dagkeeper.db import transaction
from dagkeeper.models import TaskInstance, utcnow
from dagkeeper.runner import run_task_instance, warm_up
from dagkeeper.scheduler.documents import DocumentCache
from dagkeeper.scheduler.runs import start_queued_runs

SOURCE = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import BashOperator

with DAG("solo", start_date=datetime(2024, 1, 1), params={"name": "x"}):
    BashOperator(task_id="hello", bash_command="echo hi {{ params.name }} {{ macros.ds_add(ds, 1) }}")
"""


def queued_try(dags_folder, source=SOURCE, conf: str = "{}") -> int:
    path = dags_folder / "solo.py"
    path.write_text(textwrap.dedent(source))
    publish_dag_file(path, dags_folder)
    run_pk = trigger(
        "solo", "r1", conf=conf, logical_date=utcnow().replace(year=2024, month=2, day=28)
    )
    with transaction() as session:
        start_queued_runs(session, DocumentCache(), utcnow())
        session.execute(
            update(TaskInstance)
            .where(TaskInstance.dag_run_id == run_pk)
            .values(state="queued", try_number=1)
        )
    return run_pk


def test_a_try_that_is_not_queued_at_that_number_is_left_alone(sqlite_db, dags_folder):
    run_pk = queued_try(dags_folder)
    assert run_task_instance("solo", "r1", "hello", 2) == 0
    assert task_instance(run_pk, "hello").state == "queued"


def test_the_cli_runs_a_queued_try_and_renders_macros(sqlite_db, dags_folder):
    run_pk = queued_try(dags_folder)
    subprocess.run(
        [sys.executable, "-m", "dagkeeper", "tasks", "run", "solo", "r1", "hello", "--try", "1"],
        check=True,
    )
    ti = task_instance(run_pk, "hello")
    assert ti.state == "success"
    assert "hi x 2024-02-29" in log_text(ti.id, 1)


def test_a_task_the_file_no_longer_defines_fails_with_a_clear_message(sqlite_db, dags_folder):
    run_pk = queued_try(dags_folder)
    (dags_folder / "solo.py").write_text(textwrap.dedent(SOURCE).replace('"hello"', '"renamed"'))
    assert run_task_instance("solo", "r1", "hello", 1) == 1
    ti = task_instance(run_pk, "hello")
    assert ti.state == "failed"
    assert "no longer has a task 'hello'" in log_text(ti.id, 1)


EMPTY = """
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import EmptyOperator

with DAG("solo", start_date=datetime(2024, 1, 1)):
    EmptyOperator(task_id="hello")
"""


def test_a_runner_forked_after_the_warm_up_compiles_no_statement(sqlite_db, dags_folder):
    """What keeps a short try cheap and the shared write lock short: every statement the
    runner runs for a try was compiled in the zygote it is forked from."""
    run_pk = queued_try(dags_folder, source=EMPTY)
    warm_up()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the runner, as the zygote forks it
        compiled = []
        original = SQLCompiler.__init__

        def counting(self, *args, **kwargs):
            original(self, *args, **kwargs)
            compiled.append(self.string)

        SQLCompiler.__init__ = counting  # type: ignore[method-assign]
        code = 1
        try:
            code = run_task_instance("solo", "r1", "hello", 1)
            os.write(write_fd, json.dumps(compiled).encode())
        finally:
            os._exit(code)
    os.close(write_fd)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read_fd) as pipe:
        compiled = json.loads(pipe.read() or "null")
    assert os.waitstatus_to_exitcode(status) == 0
    assert task_instance(run_pk, "hello").state == "success"
    assert compiled == []

"""What the runner does for the peer's task API: XComs by key, callbacks, templates, venvs."""

import json

from scheduler.factories import log_text, task_instance
from scheduler.inline import run_dag_source
from sqlalchemy import select

from dagkeeper.db import read_session
from dagkeeper.models import XCom

HEADER = """
from datetime import datetime
from pathlib import Path
from dagkeeper import DAG, XComArg, get_current_context, task, task_group
from dagkeeper.operators import BashOperator, PythonOperator, PythonVirtualenvOperator, TaskFailed
"""


def xcoms(run_pk_or_ti_id: int) -> dict[str, object]:
    with read_session() as session:
        rows = session.execute(
            select(XCom.key, XCom.value).where(XCom.task_instance_id == run_pk_or_ti_id)
        ).all()
    return {key: json.loads(value) for key, value in rows}


def test_xcom_push_pull_by_key_multiple_outputs_and_keyed_xcomargs(sqlite_db, dags_folder):
    run, states = run_dag_source(
        dags_folder,
        "xc",
        HEADER
        + """
with DAG("xc", start_date=datetime(2024, 1, 1)):
    def push(ti):
        ti.xcom_push(key="order", value={"id": 7})
        return "pushed"

    pusher = PythonOperator(task_id="push", python_callable=push)

    @task
    def totals() -> dict[str, int]:
        return {"count": 2, "sum": 10}

    @task
    def pull(count, order, whole, ti=None):
        assert ti.xcom_pull(task_ids="push", key="order") == {"id": 7}
        assert ti.xcom_pull(task_ids=["push", "totals"]) == ["pushed", {"count": 2, "sum": 10}]
        assert ti.xcom_pull(task_ids="push", key="order", map_indexes=-1) == {"id": 7}
        assert ti.xcom_pull(task_ids="push", key="missing", default=5) == 5
        context = get_current_context()
        assert context["ti"] is ti and context["task"].task_id == "pull"
        return count + order["id"] + whole["sum"]

    @task(do_xcom_push=False)
    def silent():
        return "not stored"

    t = totals()
    result = pull(t["count"], XComArg(pusher, key="order"), t)
    silent()
""",
    )
    assert (run, set(states.values())) == ("success", {"success"})
    run_pk = task_instance_run("xc")
    assert xcoms(task_instance(run_pk, "pull").id) == {"return_value": 19}
    assert xcoms(task_instance(run_pk, "totals").id) == {
        "count": 2, "sum": 10, "return_value": {"count": 2, "sum": 10},
    }  # fmt: skip
    assert xcoms(task_instance(run_pk, "push").id) == {"order": {"id": 7}, "return_value": "pushed"}
    assert xcoms(task_instance(run_pk, "silent").id) == {}


def task_instance_run(dag_id: str) -> int:
    from dagkeeper.models import DagRun

    with read_session() as session:
        return session.scalar(select(DagRun.id).where(DagRun.dag_id == dag_id))


def test_callbacks_run_with_the_context_and_cannot_change_the_state(
    sqlite_db, dags_folder, tmp_path
):
    record = tmp_path / "calls.txt"
    run, states = run_dag_source(
        dags_folder,
        "cb",
        HEADER
        + f"""
RECORD = Path({str(record)!r})

def note(what):
    def callback(context):
        with RECORD.open("a") as f:
            f.write(f"{{what}} {{context['ti'].task_id}} {{type(context.get('exception')).__name__}}\\n")
    return callback

def broken(context):
    raise RuntimeError("a broken callback")

def fail():
    raise TaskFailed("no")

with DAG("cb", start_date=datetime(2024, 1, 1), default_args={{"on_failure_callback": note("failure")}}):
    PythonOperator(task_id="ok", python_callable=lambda: 1, on_execute_callback=note("execute"),
                   on_success_callback=[note("success"), broken])
    PythonOperator(task_id="bad", python_callable=fail)
""",
    )
    assert states == {"ok": "success", "bad": "failed"}
    assert sorted(record.read_text().splitlines()) == [
        "execute ok NoneType", "failure bad TaskFailed", "success ok NoneType",
    ]  # fmt: skip
    assert "a broken callback" in log_text(task_instance(task_instance_run("cb"), "ok").id, 1)


def test_template_files_native_rendering_macros_and_filters(sqlite_db, dags_folder):
    (dags_folder / "scripts").mkdir()
    (dags_folder / "scripts" / "greet.sh").write_text("echo {{ greeting | shout }} {{ ds }}\n")
    run, states = run_dag_source(
        dags_folder,
        "tpl",
        HEADER
        + """
with DAG("tpl", start_date=datetime(2024, 1, 1), render_template_as_native_obj=True,
         user_defined_macros={"greeting": "hello"},
         user_defined_filters={"shout": lambda s: s.upper()},
         template_searchpath=[str(Path(__file__).parent / "scripts")]):
    BashOperator(task_id="script", bash_command="greet.sh")

    def check(n, items):
        assert n == 2 and items == [1, 2], (n, items)

    PythonOperator(task_id="native", python_callable=check,
                   op_kwargs={"n": "{{ 1 + 1 }}", "items": "{{ [1, 2] }}"})
""",
        logical_date=__import__("datetime").datetime(2024, 3, 1, tzinfo=__import__("datetime").UTC),
    )
    assert (run, states) == ("success", {"script": "success", "native": "success"})
    script = task_instance(task_instance_run("tpl"), "script")
    assert "HELLO 2024-03-01" in log_text(script.id, 1)


def test_task_bash_task_group_and_a_virtualenv(sqlite_db, dags_folder, tmp_path):
    run, states = run_dag_source(
        dags_folder,
        "tf",
        HEADER
        + f"""
with DAG("tf", start_date=datetime(2024, 1, 1)):
    @task.bash
    def say(word):
        return "echo said " + word + " on {{{{ ds }}}}"

    @task_group
    def twice(word):
        say(word) >> say.override(task_id="again")(word)

    def in_venv(n):
        import sys
        return [n * 2, sys.prefix]

    first = PythonVirtualenvOperator(task_id="venv", python_callable=in_venv, op_args=[21],
                             system_site_packages=False, venv_cache_path={str(tmp_path / "venvs")!r})

    @task.virtualenv(venv_cache_path={str(tmp_path / "venvs")!r}, system_site_packages=False)
    def again_in_venv():
        return 1

    twice("hi")
    twice("ho")
    first >> again_in_venv()
""",
    )
    assert run == "success", states
    assert set(states) == {"twice.say", "twice.again", "twice__1.say", "twice__1.again", "venv",
                           "again_in_venv"}  # fmt: skip
    run_pk = task_instance_run("tf")
    assert "said ho on 20" in log_text(task_instance(run_pk, "twice__1.again").id, 1)
    doubled, prefix = xcoms(task_instance(run_pk, "venv").id)["return_value"]
    assert doubled == 42 and prefix.startswith(str(tmp_path / "venvs"))
    assert "Using the cached virtualenv" in log_text(task_instance(run_pk, "again_in_venv").id, 1)


def test_retry_delay_grows_with_exponential_backoff(sqlite_db, dags_folder):
    source = (
        HEADER
        + """
from datetime import timedelta
def fail():
    raise TaskFailed("no")

with DAG("backoff", start_date=datetime(2024, 1, 1)):
    PythonOperator(task_id="t", python_callable=fail, retries=3, retry_delay=timedelta(seconds=100),
                   retry_exponential_backoff=True, max_retry_delay=timedelta(seconds=150))
"""
    )
    from dagkeeper.authoring.loader import import_dag_file

    path = dags_folder / "backoff.py"
    path.write_text(source)
    (dag,) = import_dag_file(path)
    task = dag.get_task("t")
    assert [task.retry_delay_for(n) for n in (1, 2, 3)] == [100, 150, 150]


def _wheel(folder, name: str = "dk_tiny", version: str = "1.0"):
    """A minimal pure-Python wheel, so pip installs a requirement with no network."""
    import base64
    import hashlib
    import zipfile

    path = folder / f"{name}-{version}-py3-none-any.whl"
    files = {
        f"{name}.py": "ANSWER = 41\n",
        f"{name}-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{name}-{version}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }  # fmt: skip
    record = [
        f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(c.encode()).digest()).rstrip(b'=').decode()},{len(c)}"
        for n, c in files.items()
    ]  # fmt: skip
    files[f"{name}-{version}.dist-info/RECORD"] = (
        "\n".join([*record, f"{name}-{version}.dist-info/RECORD,,"]) + "\n"
    )
    with zipfile.ZipFile(path, "w") as archive:
        for n, c in files.items():
            archive.writestr(n, c)
    return path


def test_a_virtualenv_with_requirements_is_built_once_and_reused(sqlite_db, dags_folder, tmp_path):
    wheel = _wheel(tmp_path)
    cache = tmp_path / "venvs"
    run, states = run_dag_source(
        dags_folder,
        "reqs",
        HEADER
        + f"""
with DAG("reqs", start_date=datetime(2024, 1, 1)):
    @task.virtualenv(requirements=[{str(wheel)!r}], pip_install_options=["--no-index"],
                     system_site_packages=False, venv_cache_path={str(cache)!r})
    def answer(plus):
        import dk_tiny
        return dk_tiny.ANSWER + plus

    answer(1) >> answer(2)
""",
    )
    assert (run, states) == ("success", {"answer": "success", "answer__1": "success"})
    run_pk = task_instance_run("reqs")
    assert xcoms(task_instance(run_pk, "answer").id) == {"return_value": 42}
    assert xcoms(task_instance(run_pk, "answer__1").id) == {"return_value": 43}
    assert "Using the cached virtualenv" in log_text(task_instance(run_pk, "answer__1").id, 1)
    assert len([p for p in cache.iterdir() if not p.name.startswith(".")]) == 1


def test_xcom_pull_with_include_prior_dates_reads_earlier_runs(sqlite_db, dags_folder):
    from datetime import UTC, datetime

    from scheduler.factories import trigger
    from scheduler.inline import run_to_end

    source = (
        HEADER
        + """
with DAG("prior", start_date=datetime(2024, 1, 1)):
    def first_run_only(ti, dag_run):
        if dag_run.run_id == "r1":
            ti.xcom_push(key="seen", value=dag_run.run_id)

    def read(ti):
        return [ti.xcom_pull(task_ids="push", key="seen"),
                ti.xcom_pull(task_ids="push", key="seen", include_prior_dates=True)]

    PythonOperator(task_id="push", python_callable=first_run_only) >> PythonOperator(
        task_id="read", python_callable=read)
"""
    )
    run_dag_source(dags_folder, "prior", source, run_id="r1",
                   logical_date=datetime(2024, 1, 1, tzinfo=UTC))  # fmt: skip
    second = trigger("prior", "r2", logical_date=datetime(2024, 1, 2, tzinfo=UTC))
    assert run_to_end(second) == "success"
    assert xcoms(task_instance(second, "read").id) == {"return_value": [None, "r1"]}

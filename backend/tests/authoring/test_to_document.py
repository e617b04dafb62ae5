"""The document a DAG becomes: exact contents, validity, and determinism across processes."""

import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from dagkeeper import DAG, Param, TaskGroup
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.to_document import serialize_dag
from dagkeeper.operators import BashOperator, EmptyOperator
from dagkeeper.serialization import digest, dumps, loads

PYTHON = sys.executable
BACKEND = Path(__file__).resolve().parents[2]


def _small_dag():
    with DAG(
        "small", schedule="@daily", start_date=datetime(2024, 1, 1), catchup=True,
        tags=["b", "a"], default_args={"owner": "ops", "retries": 1},
        params={"n": 3}, description="A small DAG", doc_md="# Small", max_active_runs=2,
    ) as d:  # fmt: skip
        with TaskGroup("g", tooltip="the group"):
            run = BashOperator(
                task_id="run", bash_command="echo {{ ds }}", env={"A": "1"},
                execution_timeout=timedelta(minutes=5), doc_md="runs",
            )  # fmt: skip
        done = EmptyOperator(task_id="done", owner="alice", trigger_rule="all_done")
        run >> done
    return d


# The fields of the peer's task arguments, at their defaults.
TASK_DEFAULTS = {
    "display_name": None, "depends_on_past": False, "wait_for_downstream": False,
    "priority_weight": 1, "weight_rule": "downstream", "pool": "default_pool", "pool_slots": 1,
    "queue": None, "executor_config": {}, "do_xcom_push": True, "multiple_outputs": False,
    "retry_exponential_backoff": False, "max_retry_delay": None, "is_setup": False,
    "is_teardown": False, "on_failure_fail_dagrun": False,
}  # fmt: skip

SMALL_DOCUMENT = {
    "dag_id": "small",
    "description": "A small DAG",
    "doc_md": "# Small",
    "schedule": {"kind": "preset", "expression": "@daily", "seconds": None},
    "timezone": "UTC",
    "start_date": "2024-01-01T00:00:00+00:00",
    "end_date": None,
    "catchup": True,
    "max_active_runs": 2,
    "max_active_tasks": 16,
    "owners": ["alice", "ops"],
    "tags": ["a", "b"],
    "params": {
        "n": {"default": 3, "type": "integer", "description": None, "title": None,
              "enum": None, "minimum": None, "maximum": None, "required": False,
              "position": 0},
    },
    "default_args": {"owner": "ops", "retries": 1},
    "tasks": [
        {"task_id": "done", "label": "done", "operator": "EmptyOperator", "group": None,
         "retries": 1, "retry_delay": 300.0, "trigger_rule": "all_done",
         "execution_timeout": None, "owner": "alice", "doc_md": None, "template_fields": [],
         "template_values": {}, "ui_color": "#e8f7e4", "ui_fgcolor": "#000", **TASK_DEFAULTS},
        {"task_id": "g.run", "label": "run", "operator": "BashOperator", "group": "g",
         "retries": 1, "retry_delay": 300.0, "trigger_rule": "all_success",
         "execution_timeout": 300.0, "owner": "ops", "doc_md": "runs",
         "template_fields": ["bash_command", "env"],
         "template_values": {"bash_command": "echo {{ ds }}", "env": {"A": "1"}},
         "ui_color": "#f0ede4", "ui_fgcolor": "#000", **TASK_DEFAULTS},
    ],
    "task_groups": [
        {"group_id": "g", "label": "g", "parent": None, "tooltip": "the group",
         "ui_color": "CornflowerBlue", "ui_fgcolor": "#000"},
    ],
    "edges": [["g.run", "done"]],
    "edge_labels": [],
    "display_name": None,
    "dagrun_timeout": None,
    "is_paused_upon_creation": None,
}  # fmt: skip


def test_serialize_dag_produces_the_exact_document():
    assert serialize_dag(_small_dag()) == SMALL_DOCUMENT


def test_document_validates_and_round_trips_through_loads():
    data = _small_dag().to_bytes()
    assert data == dumps(SMALL_DOCUMENT)
    loaded = loads(data)
    assert loaded.tasks["g.run"].execution_timeout == 300
    assert loaded.upstream["done"] == ["g.run"]


def test_minimal_dag_exact_bytes():
    with DAG("tiny") as d:
        EmptyOperator(task_id="only")
    assert d.to_bytes() == (
        b'{"catchup":false,"dag_id":"tiny","dagrun_timeout":null,"default_args":{},'
        b'"description":null,"display_name":null,"doc_md":null,"edge_labels":[],"edges":[],'
        b'"end_date":null,"format":1,"is_paused_upon_creation":null,"max_active_runs":16,'
        b'"max_active_tasks":16,"owners":["dagkeeper"],"params":{},"schedule":{"expression":null,'
        b'"kind":"none","seconds":null},"start_date":null,"tags":[],"task_groups":[],"tasks":[{'
        b'"depends_on_past":false,"display_name":null,"do_xcom_push":true,"doc_md":null,'
        b'"execution_timeout":null,"executor_config":{},"group":null,"is_setup":false,'
        b'"is_teardown":false,"label":"only","max_retry_delay":null,"multiple_outputs":false,'
        b'"on_failure_fail_dagrun":false,"operator":"EmptyOperator","owner":"dagkeeper",'
        b'"pool":"default_pool","pool_slots":1,"priority_weight":1,"queue":null,"retries":0,'
        b'"retry_delay":300,"retry_exponential_backoff":false,"task_id":"only",'
        b'"template_fields":[],"template_values":{},"trigger_rule":"all_success",'
        b'"ui_color":"#e8f7e4","ui_fgcolor":"#000","wait_for_downstream":false,'
        b'"weight_rule":"downstream"}],"timezone":"UTC"}'
    )


def test_dag_without_tasks_serialises():
    doc = serialize_dag(DAG("empty"))
    assert (doc["tasks"], doc["edges"], doc["owners"]) == ([], [], [])
    assert loads(DAG("empty").to_bytes()).dag_id == "empty"


def test_template_values_store_non_json_values_as_stable_reprs():
    class Thing:
        pass

    with DAG("d") as d:
        BashOperator(task_id="b", bash_command="true", env={"f": Thing(), "s": {"z", "a", "m"}})
    env = serialize_dag(d)["tasks"][0]["template_values"]["env"]
    assert env["s"] == ["a", "m", "z"]
    assert "0x" not in env["f"]


def test_missing_template_field_attribute_is_an_error():
    class Broken(EmptyOperator):
        template_fields = ("nothing_here",)

    with DAG("d") as d:
        Broken(task_id="b")
    with pytest.raises(
        DagDefinitionError, match="template field 'nothing_here' is not an attribute of Broken"
    ):
        serialize_dag(d)


def test_cycle_is_reported_in_order():
    with DAG("d") as d:
        a, b, c = (EmptyOperator(task_id=i) for i in "abc")
        a >> b >> c >> a
    with pytest.raises(DagDefinitionError) as error:
        serialize_dag(d)
    assert str(error.value) == "Cycle detected in DAG 'd': a -> b -> c -> a"


def test_cycle_reached_from_outside_names_only_the_cycle():
    with DAG("d") as d:
        start, x, y = (EmptyOperator(task_id=i) for i in ("a_start", "x", "y"))
        start >> x >> y >> x
    with pytest.raises(DagDefinitionError, match="^Cycle detected in DAG 'd': x -> y -> x$"):
        d.to_bytes()


def test_self_dependency_is_a_cycle():
    with DAG("d") as d:
        a = EmptyOperator(task_id="a")
        a >> a
    with pytest.raises(DagDefinitionError, match="^Cycle detected in DAG 'd': a -> a$"):
        d.check_cycle()


def _built_in_order(order):
    with DAG("ordered", tags=["x", "y"], params={"p": Param(1), "q": "s"}) as d:
        with TaskGroup("g"):
            tasks = {i: EmptyOperator(task_id=i) for i in order}
        tasks["a"] >> [tasks["b"], tasks["c"]]
        tasks["c"] << tasks["b"]
    return d


def test_same_dag_defined_in_different_orders_gives_identical_bytes():
    first = _built_in_order("abc")
    second = _built_in_order("cba")
    assert first.tasks != second.tasks
    assert first.to_bytes() == second.to_bytes()


DAG_FILE = textwrap.dedent(
    """
    from datetime import datetime
    from zoneinfo import ZoneInfo
    from dagkeeper import DAG, TaskGroup, task
    from dagkeeper.operators import BashOperator, BaseOperator

    class SetOperator(BaseOperator):
        template_fields = ("items", "mapping")

        def __init__(self, task_id, items, mapping, **kwargs):
            super().__init__(task_id=task_id, **kwargs)
            self.items = items
            self.mapping = mapping

    names = {"delta", "alpha", "charlie", "bravo", "echo"}
    with DAG(
        "hashed", schedule="0 3 * * *", tags=set(names),
        start_date=datetime(2024, 1, 1, tzinfo=ZoneInfo("Europe/Amsterdam")),
        default_args={"retries": 1, "queues": frozenset(names)},
    ) as dag:
        @task
        def produce():
            return 1

        produced = produce()
        with TaskGroup("fan"):
            for name in names:
                BashOperator(task_id=name, bash_command="echo " + name) << produced
        SetOperator(task_id="sets", items=set(names), mapping={n: {n, n + "x"} for n in names})
    """
)


def _bytes_in_fresh_process(path: Path, hashseed: str) -> bytes:
    code = (
        "import runpy, sys\n"
        "from dagkeeper.authoring.registry import capture\n"
        "with capture() as dags:\n"
        f"    runpy.run_path({str(path)!r})\n"
        "sys.stdout.buffer.write(dags[0].to_bytes())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    done = subprocess.run(
        [PYTHON, "-c", code], env=env, cwd=BACKEND, capture_output=True, check=True
    )
    return done.stdout


def test_same_file_gives_identical_bytes_in_processes_with_different_hash_seeds(tmp_path):
    path = tmp_path / "hashed_dag.py"
    path.write_text(DAG_FILE)
    first = _bytes_in_fresh_process(path, "1")
    second = _bytes_in_fresh_process(path, "2")
    third = _bytes_in_fresh_process(path, "12345")
    assert first == second == third
    doc = json.loads(first)
    assert doc["tags"] == ["alpha", "bravo", "charlie", "delta", "echo"]
    assert len(doc["tasks"]) == 7
    assert len(digest(first)) == 64


def test_a_task_queue_is_stored_as_named_or_none():
    with DAG("queues") as d:
        EmptyOperator(task_id="anywhere")
        EmptyOperator(task_id="gpu_only", queue="gpu")
    tasks = {t["task_id"]: t for t in serialize_dag(d)["tasks"]}
    assert tasks["anywhere"]["queue"] is None  # the deployment's default queue
    assert tasks["gpu_only"]["queue"] == "gpu"
    assert loads(d.to_bytes()).tasks["gpu_only"].queue == "gpu"

"""Dynamic task mapping, run for real: expansion, lengths, failures, reduce, zip and product.

Each case is a DAG file run to its end by the real scheduler and runner
(on SQLite and PostgreSQL); the table gives the expected states of each
task's map indexes and what the reduce task received.
"""

import json
import textwrap
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from dagkeeper import db as db_module
from dagkeeper.executors import TaskKey
from dagkeeper.models import RETURN_KEY, DagRun, TaskInstance, TaskState, XCom

from .factories import publish_dag_file, trigger
from .inline import InlineExecutor, run_to_end

HEADER = """
from datetime import datetime
from dagkeeper import DAG, task, task_group
from dagkeeper.operators import BashOperator, EmptyOperator, PythonOperator, TaskFailed

def fail():
    raise TaskFailed("on purpose")

@task
def total(values):
    return values

@task
def double(x):
    return 2 * x

with DAG("{name}", start_date=datetime(2024, 1, 1)):
"""

S, F, K, UF = "success", "failed", "skipped", "upstream_failed"

CASES = {
    "literal_list": (
        """
        total(double.expand(x=[1, 2, 3]))
        """,
        {"double": [S, S, S], "total": [S]},
        [2, 4, 6],
        S,
    ),
    "xcom_of_length_zero_skips_the_mapped_task": (
        """
        @task
        def make():
            return []
        total(double.expand(x=make()))
        """,
        {"make": [S], "double": [K], "total": [K]},
        None,
        S,
    ),
    "xcom_of_length_one": (
        """
        @task
        def make():
            return [5]
        total(double.expand(x=make()))
        """,
        {"make": [S], "double": [S], "total": [S]},
        [10],
        S,
    ),
    # the 1,000 map indexes of `square` are finished by _QuickMapIndexes, not run one by one
    "xcom_of_length_1000_reduced_in_map_index_order": (
        """
        @task
        def make():
            return list(range(1000))
        @task
        def square(x):
            return x * x
        total(square.expand(x=make()))
        """,
        {"make": [S], "square": [S] * 1000, "total": [S]},
        [i * i for i in range(1000)],
        S,
    ),
    "upstream_failure_fails_the_mapped_task_and_after": (
        """
        make = PythonOperator(task_id="make", python_callable=fail)
        @task(trigger_rule="all_done")
        def total(values):
            return values
        total(double.expand(x=make.output))
        """,
        {"make": [F], "double": [UF], "total": [S]},
        None,
        S,  # the run's state comes from its leaves, and `total` ran
    ),
    "one_failed_map_index_fails_only_itself": (
        """
        @task
        def check(x):
            if x == 2:
                raise TaskFailed("two")
            return x
        after = EmptyOperator(task_id="after")
        check.expand(x=[1, 2, 3]) >> after
        """,
        {"check": [S, F, S], "after": [UF]},
        None,
        F,
    ),
    "cross_product_last_argument_fastest": (
        """
        @task
        def pair(a, b):
            return f"{a}{b}"
        total(pair.expand(a=["x", "y"], b=[1, 2, 3]))
        """,
        {"pair": [S] * 6, "total": [S]},
        ["x1", "x2", "x3", "y1", "y2", "y3"],
        S,
    ),
    "zip_of_an_xcom_and_a_literal": (
        """
        @task
        def letters():
            return ["a", "b", "c"]
        @task
        def join(pair):
            return "".join(map(str, pair))
        total(join.expand(pair=letters().zip([1, 2])))
        """,
        {"letters": [S], "join": [S, S], "total": [S]},
        ["a1", "b2"],
        S,
    ),
    "partial_and_expand_kwargs_on_an_operator": (
        """
        echo = BashOperator.partial(task_id="echo", env={"A": "1"}).expand_kwargs(
            [{"bash_command": "echo one"}, {"bash_command": "echo two"}])
        total(echo.output)
        """,
        {"echo": [S, S], "total": [S]},
        ["one", "two"],
        S,
    ),
    "mapping_over_a_dict_gives_pairs": (
        """
        @task
        def show(item):
            return f"{item[0]}={item[1]}"
        total(show.partial().expand(item={"a": 1, "b": 2}))
        """,
        {"show": [S, S], "total": [S]},
        ["a=1", "b=2"],
        S,
    ),
    "mapping_over_a_mapped_task": (
        """
        @task
        def inc(x):
            return x + 1
        total(inc.expand(x=double.expand(x=[1, 2])))
        """,
        {"double": [S, S], "inc": [S, S], "total": [S]},
        [3, 5],
        S,
    ),
    "mapped_task_group_pairs_map_indexes_inside_the_group": (
        """
        @task
        def make():
            return [1, 2, 3]
        @task
        def inc(x):
            return x + 1
        @task_group
        def per_item(x):
            return inc(double(x))
        total(per_item.expand(x=make()))
        """,
        {"make": [S], "per_item.double": [S, S, S], "per_item.inc": [S, S, S], "total": [S]},
        [3, 5, 7],
        S,
    ),
    "a_non_list_xcom_fails_its_producer": (
        """
        @task
        def make():
            return 7
        double.expand(x=make())
        """,
        {"make": [F], "double": [UF]},
        None,
        F,
    ),
}  # fmt: skip


class _QuickMapIndexes(InlineExecutor):
    """Finishes each map index of ``square`` as its runner would (success, XCom x*x) at once;
    everything else runs for real. Keeps the 1,000-way case to a few scheduler passes."""

    parallelism = 2000

    def queue(self, key: TaskKey) -> None:
        if key.task_id != "square" or key.map_index < 0:
            return super().queue(key)
        with db_module.transaction() as session:
            ti = session.get(TaskInstance, key.ti_id)
            ti.state = TaskState.SUCCESS
            session.add(XCom(task_instance_id=ti.id, key=RETURN_KEY, value=str(ti.map_index**2)))
        return None


def _source(name: str, body: str) -> str:
    return HEADER.format(name=name) + textwrap.indent(textwrap.dedent(body), "    ")


def _states_by_index(run_pk: int) -> dict[str, list[str | None]]:
    with db_module.read_session() as session:
        rows = session.execute(
            select(TaskInstance.task_id, TaskInstance.state)
            .where(TaskInstance.dag_run_id == run_pk)
            .order_by(TaskInstance.task_id, TaskInstance.map_index)
        ).all()
    found: dict[str, list[str | None]] = {}
    for task_id, state in rows:
        found.setdefault(task_id, []).append(state)
    return found


def _reduced(run_pk: int):
    with db_module.read_session() as session:
        value = session.scalar(
            select(XCom.value)
            .join(TaskInstance, TaskInstance.id == XCom.task_instance_id)
            .where(
                TaskInstance.dag_run_id == run_pk,
                TaskInstance.task_id == "total",
                XCom.key == RETURN_KEY,
            )
        )
    return None if value is None else json.loads(value)


@pytest.mark.parametrize("name", list(CASES))
def test_mapping_table(name, db, dags_folder):
    body, expected_states, expected_reduced, expected_run = CASES[name]
    path = dags_folder / f"{name}.py"
    path.write_text(_source(name, body))
    publish_dag_file(path, dags_folder)
    run_pk = trigger(name, logical_date=datetime(2024, 1, 1, tzinfo=UTC))
    run_state = run_to_end(run_pk, passes=200, executor=_QuickMapIndexes())  # 16 tasks at once
    assert (_states_by_index(run_pk), _reduced(run_pk), run_state) == (
        expected_states,
        expected_reduced,
        expected_run,
    )


def _clear_index_1(name: str, run_pk: int, task_id: str, downstream: bool) -> tuple[str, list]:
    """Clear map index 1 of ``task_id`` (with its downstream) through the API's clear."""
    from dagkeeper.api.clear import ClearRequest, clear

    with db_module.transaction() as session:
        run_id = session.scalar(select(DagRun.run_id).where(DagRun.id == run_pk))
        request = ClearRequest(
            dag_id=name, run_ids=[run_id], task_ids=[task_id], include_upstream=False,
            include_downstream=downstream, only_failed=False, dry_run=False, map_indexes=[1],
        )  # fmt: skip
        cleared, _ = clear(session, request)
    return run_id, cleared


def test_clearing_one_map_index_reruns_only_that_index(db, dags_folder):
    name = "clear_one_index"
    path = dags_folder / f"{name}.py"
    path.write_text(_source(name, "total(double.expand(x=[1, 2, 3]))"))
    publish_dag_file(path, dags_folder)
    run_pk = trigger(name, logical_date=datetime(2024, 1, 1, tzinfo=UTC))
    assert run_to_end(run_pk) == "success"
    run_id, cleared = _clear_index_1(name, run_pk, "double", downstream=False)
    assert cleared == [(name, run_id, "double", 1, "success")]
    assert run_to_end(run_pk) == "success"
    with db_module.read_session() as session:
        tries = session.execute(
            select(TaskInstance.task_id, TaskInstance.map_index, TaskInstance.try_number)
            .where(TaskInstance.dag_run_id == run_pk)
            .order_by(TaskInstance.task_id, TaskInstance.map_index)
        ).all()
    assert [tuple(t) for t in tries] == [
        ("double", 0, 1), ("double", 1, 2), ("double", 2, 1), ("total", -1, 1)
    ]  # fmt: skip
    assert _reduced(run_pk) == [2, 4, 6]


def _mapped_group_run(dags_folder, name: str, failing: int | None) -> int:
    """A run of ``per_item.expand(x=[1, 2, 3])``, a mapped group ``a -> b``, then ``total``;
    ``a`` fails for ``x == failing``."""
    body = f"""
        @task
        def a(x):
            if x == {failing!r}:
                raise TaskFailed("on purpose")
            return x
        @task
        def b(x):
            return 10 * x
        @task_group
        def per_item(x):
            return b(a(x))
        total(per_item.expand(x=[1, 2, 3]))
        """
    path = dags_folder / f"{name}.py"
    path.write_text(_source(name, body))
    publish_dag_file(path, dags_folder)
    return trigger(name, logical_date=datetime(2024, 1, 1, tzinfo=UTC))


def test_clearing_one_map_index_in_a_mapped_group_clears_that_index_downstream(db, dags_folder):
    """Inside a mapped task group ``b[i]`` depends on ``a[i]`` only, so clearing ``a[1]`` with
    its downstream clears ``b[1]`` (not every ``b``) and the reduce task after the group."""
    name = "clear_group_index"
    run_pk = _mapped_group_run(dags_folder, name, failing=None)
    assert run_to_end(run_pk) == S
    run_id, cleared = _clear_index_1(name, run_pk, "per_item.a", downstream=True)
    assert sorted(cleared) == [
        (name, run_id, "per_item.a", 1, S), (name, run_id, "per_item.b", 1, S),
        (name, run_id, "total", -1, S),
    ]  # fmt: skip
    assert run_to_end(run_pk) == S
    assert _states_by_index(run_pk) == {
        "per_item.a": [S, S, S], "per_item.b": [S, S, S], "total": [S],
    }  # fmt: skip


class _HoldingExecutor(InlineExecutor):
    """Runs every try at once except those of ``held``, which wait until released."""

    def __init__(self, held: tuple[str, int]):
        self.held_key = held
        self.held: list[TaskKey] = []

    def queue(self, key: TaskKey) -> None:
        if (key.task_id, key.map_index) == self.held_key:
            self.held.append(key)
            return None
        return super().queue(key)

    def release(self) -> None:
        for key in self.held:
            super().queue(key)
        self.held = []


def test_a_mapped_group_pairs_dependencies_per_map_index(db, dags_folder):
    """Inside a mapped task group ``b[i]`` waits for ``a[i]`` only (as in Airflow); the
    reduce task after the group waits for every map index, and an ``a[i]`` that fails
    makes only ``b[i]`` upstream_failed."""
    from dagkeeper.scheduler.loop import Scheduler

    name = "mapped_group_per_index"
    run_pk = _mapped_group_run(dags_folder, name, failing=2)
    executor = _HoldingExecutor(held=("per_item.a", 1))
    scheduler = Scheduler(executor=executor)
    for _ in range(10):
        scheduler.run_once()
    assert _states_by_index(run_pk) == {
        "per_item.a": [S, "queued", S], "per_item.b": [S, None, S], "total": [None],
    }  # fmt: skip
    executor.release()
    assert run_to_end(run_pk, executor=executor) == F
    assert _states_by_index(run_pk) == {
        "per_item.a": [S, F, S], "per_item.b": [S, UF, S], "total": [UF],
    }  # fmt: skip

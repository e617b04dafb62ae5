"""Find one DAG, version, run or task instance, or answer 404 naming what is missing.

Every resource blueprint looks its subjects up here, so blueprints stay siblings
that never import each other. A missing child reports the missing parent first
(an unknown DAG is "DAG 'x' not found", not "run 'r' of DAG 'x' not found").
"""

from __future__ import annotations

from dagkeeper.api.errors import not_found
from dagkeeper.api.request_cycle import session
from dagkeeper.models import Dag, DagRun, DagVersion, TaskInstance, queries


def get_dag_or_404(dag_id: str) -> Dag:
    dag = session().get(Dag, dag_id)
    if dag is None:
        not_found(f"DAG {dag_id!r}")
    return dag


def current_version_or_404(dag_id: str, version_number: int | None = None) -> DagVersion:
    version = queries.get_version(session(), dag_id, version_number)
    if version is None:
        get_dag_or_404(dag_id)
        not_found(f"version {version_number} of DAG {dag_id!r}")
    return version


def get_run_or_404(dag_id: str, run_id: str) -> tuple[DagRun, int]:
    found = queries.get_run(session(), dag_id, run_id)
    if found is None:
        get_dag_or_404(dag_id)
        not_found(f"run {run_id!r} of DAG {dag_id!r}")
    return found


def newest_run_or_404(dag_id: str) -> tuple[DagRun, int]:
    found = queries.newest_run(session(), dag_id)
    if found is None:
        get_dag_or_404(dag_id)
        not_found(f"a run of DAG {dag_id!r}")
    return found


def get_ti_or_404(dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> TaskInstance:
    found = queries.get_task_instance(session(), dag_id, run_id, task_id, map_index)
    if found is None:
        get_run_or_404(dag_id, run_id)
        index = f"map index {map_index} of " if map_index >= 0 else ""
        not_found(f"{index}task instance {task_id!r} of run {run_id!r}")
    return found[0]

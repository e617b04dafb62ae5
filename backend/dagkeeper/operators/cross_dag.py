"""Links between DAGs, under the peer's names: trigger another DAG, wait for it, clear with it.

They read and write other DAGs' runs through :mod:`dagkeeper.sdk.dag_runs`,
which is why they live here and not in ``dagkeeper.authoring`` (which never
touches the database). ``ExternalTaskMarker`` does nothing when it runs: its
stored template values tell a clear in the web server which task of which
DAG to clear with it (``api/clear.py``).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from dagkeeper.authoring.baseoperator import BaseOperator
from dagkeeper.authoring.exceptions import DagDefinitionError, TaskFailed, TaskSkipped
from dagkeeper.authoring.sensors import BaseSensorOperator
from dagkeeper.sdk.dag_runs import DagRunError, dag_run_state, external_states, trigger_dag_run

XCOM_RUN_ID = "trigger_run_id"
XCOM_LOGICAL_DATE = "trigger_logical_date"


def _moment(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class TriggerDagRunOperator(BaseOperator):
    """Queue a run of ``trigger_dag_id`` (with ``conf``); optionally wait until it ends.

    Its run id and logical date are published as the XComs ``trigger_run_id``
    and ``trigger_logical_date`` (the task drawer links to that run).
    """

    template_fields = ("trigger_dag_id", "trigger_run_id", "conf", "logical_date")
    ui_color = "#ffefeb"

    def __init__(
        self, task_id: str, *, trigger_dag_id: str, trigger_run_id: str | None = None,
        conf: dict[str, Any] | None = None, logical_date: datetime | str | None = None,
        reset_dag_run: bool = False, wait_for_completion: bool = False,
        poke_interval: float = 60, allowed_states: list[str] | None = None,
        failed_states: list[str] | None = None, skip_when_already_exists: bool = False,
        **kwargs: Any,
    ):  # fmt: skip
        super().__init__(task_id=task_id, **kwargs)
        if conf is not None and not isinstance(conf, dict):
            raise DagDefinitionError(f"conf of {self.task_id!r} must be a dict, got {conf!r}")
        self.trigger_dag_id = trigger_dag_id
        self.trigger_run_id = trigger_run_id
        self.conf = conf
        self.logical_date = (
            logical_date.isoformat() if isinstance(logical_date, datetime) else logical_date
        )
        self.reset_dag_run = bool(reset_dag_run)
        self.wait_for_completion = bool(wait_for_completion)
        self.poke_interval = float(poke_interval)
        self.allowed_states = list(allowed_states or ["success"])
        self.failed_states = list(failed_states or ["failed"])
        self.skip_when_already_exists = bool(skip_when_already_exists)

    def execute(self, context: dict[str, Any]) -> None:
        try:
            run = trigger_dag_run(
                self.trigger_dag_id, self.trigger_run_id or None, self.conf,
                _moment(self.logical_date), self.reset_dag_run,
            )  # fmt: skip
        except DagRunError as error:
            if self.skip_when_already_exists and "already has a run" in str(error):
                raise TaskSkipped(str(error)) from error
            raise TaskFailed(str(error)) from error
        print(f"Triggered run {run.run_id} of DAG {run.dag_id}", flush=True)
        ti = context["ti"]
        ti.xcom_push(XCOM_RUN_ID, run.run_id)
        ti.xcom_push(XCOM_LOGICAL_DATE, run.logical_date.isoformat())
        while self.wait_for_completion:
            time.sleep(self.poke_interval)
            state = dag_run_state(run.dag_id, run.run_id)
            print(f"Waiting for {run.dag_id} run {run.run_id}: {state}", flush=True)
            if state in self.failed_states:
                raise TaskFailed(f"{run.dag_id} run {run.run_id} ended {state}")
            if state in self.allowed_states:
                return


class ExternalTaskSensor(BaseSensorOperator):
    """Waits for a task (``external_task_id``), tasks, or the whole run of another DAG.

    The run is the one at this run's logical date, or ``execution_delta``
    before it, or ``execution_date_fn(logical_date)``'s date.
    """

    template_fields = ("external_dag_id", "external_task_id", "external_task_ids")
    ui_color = "#4db7db"

    def __init__(
        self, task_id: str, *, external_dag_id: str, external_task_id: str | None = None,
        external_task_ids: list[str] | None = None, allowed_states: list[str] | None = None,
        failed_states: list[str] | None = None, skipped_states: list[str] | None = None,
        execution_delta: Any = None, execution_date_fn: Any = None, check_existence: bool = False,
        **kwargs: Any,
    ):  # fmt: skip
        super().__init__(task_id=task_id, **kwargs)
        if external_task_id is not None and external_task_ids is not None:
            raise DagDefinitionError(
                f"{self.task_id!r}: give external_task_id or external_task_ids, not both"
            )
        if execution_delta is not None and execution_date_fn is not None:
            raise DagDefinitionError(
                f"{self.task_id!r}: give execution_delta or execution_date_fn, not both"
            )
        self.external_dag_id = external_dag_id
        self.external_task_id = external_task_id
        self.external_task_ids = external_task_ids
        self.allowed_states = list(allowed_states or ["success"])
        self.failed_states = list(failed_states or [])
        self.skipped_states = list(skipped_states or [])
        self.execution_delta = execution_delta
        self.execution_date_fn = execution_date_fn
        self.check_existence = bool(check_existence)

    def _date(self, context: dict[str, Any]) -> datetime:
        logical_date = context["logical_date"]
        if self.execution_delta is not None:
            return logical_date - self.execution_delta
        if self.execution_date_fn is not None:
            return self.execution_date_fn(logical_date)
        return logical_date

    def poke(self, context: dict[str, Any]) -> bool:
        moment = _moment(self._date(context))
        assert moment is not None
        ids = self.external_task_ids or ([self.external_task_id] if self.external_task_id else None)
        run_state, task_states = external_states(self.external_dag_id, moment, ids)
        what = f"{self.external_dag_id}{'.' + ','.join(ids) if ids else ''} at {moment.isoformat()}"
        print(f"Poking for {what}: run {run_state}, tasks {task_states}", flush=True)
        if run_state is None:
            if self.check_existence:
                raise TaskFailed(f"no run of {self.external_dag_id} at {moment.isoformat()}")
            return False
        states = [task_states.get(t) for t in ids] if ids else [run_state]
        if self.failed_states and any(s in self.failed_states for s in states):
            raise TaskFailed(f"{what} ended in one of {self.failed_states}")
        if self.skipped_states and any(s in self.skipped_states for s in states):
            raise TaskSkipped(f"{what} ended in one of {self.skipped_states}")
        return all(s in self.allowed_states for s in states)


class ExternalTaskMarker(BaseOperator):
    """Clearing this task clears ``external_task_id`` of ``external_dag_id`` (and below it) too.

    The other DAG's run is the one at ``logical_date`` (templated; by default
    this run's), as rendered when this task ran; ``recursion_depth`` bounds
    how far markers in the other DAG carry the clear on.
    """

    template_fields = ("external_dag_id", "external_task_id", "logical_date", "recursion_depth")
    ui_color = "#4db7db"

    def __init__(
        self, task_id: str, *, external_dag_id: str, external_task_id: str,
        logical_date: str | datetime | None = "{{ logical_date.isoformat() }}",
        recursion_depth: int = 10, **kwargs: Any,
    ):  # fmt: skip
        super().__init__(task_id=task_id, **kwargs)
        if (
            isinstance(recursion_depth, bool)
            or not isinstance(recursion_depth, int)
            or recursion_depth < 1
        ):
            raise DagDefinitionError(f"recursion_depth of {self.task_id!r} must be an integer >= 1")
        self.external_dag_id = external_dag_id
        self.external_task_id = external_task_id
        self.logical_date = (
            logical_date.isoformat() if isinstance(logical_date, datetime) else logical_date
        )
        self.recursion_depth = recursion_depth

    def execute(self, context: dict[str, Any]) -> None:
        """Nothing to do: the marker matters when it is cleared."""

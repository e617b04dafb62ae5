"""Whole runs in the test process: the real scheduler passes and the real runner, no executor.

Each try the scheduler queues is run right away, in this process, by the
runner's own entry point; a run is driven pass by pass until it finishes,
so a semantics table needs no waiting and no timing.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from dagkeeper.executors import TaskKey
from dagkeeper.models import RunState
from dagkeeper.runner import run_task_instance
from dagkeeper.scheduler.loop import Scheduler

from .factories import publish_dag_file, run_state, ti_states, trigger


class InlineExecutor:
    """The executor interface the scheduler uses, running each try at once."""

    parallelism = 16

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def queue(self, key: TaskKey) -> None:
        # print() must reach file descriptor 1, which the runner sends to the task log, as in
        # a runner process; pytest's capture replaces sys.stdout with an object of its own.
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        try:
            run_task_instance(key.dag_id, key.run_id, key.task_id, key.try_number, key.map_index)
        finally:
            sys.stdout, sys.stderr = saved

    def collect_exits(self) -> list:
        return []

    def exits_pending(self) -> bool:
        return False

    def wait(self, timeout: float) -> bool:
        return False


def run_to_end(run_pk: int, passes: int = 40, executor: InlineExecutor | None = None) -> str:
    scheduler = Scheduler(executor=executor or InlineExecutor())
    for _ in range(passes):
        scheduler.run_once()
        state = run_state(run_pk)
        if state in RunState.FINISHED:
            return state
    raise AssertionError(f"run {run_pk} did not finish in {passes} passes: {ti_states(run_pk)}")


def run_dag_source(
    dags_folder: Path, name: str, source: str, **trigger_kwargs
) -> tuple[str, dict[str, str | None]]:
    """Publish ``source`` as ``name.py``, trigger its DAG ``name``, run it: (run state, task states)."""
    path = dags_folder / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    publish_dag_file(path, dags_folder)
    run_pk = trigger(name, **trigger_kwargs)
    return run_to_end(run_pk), ti_states(run_pk)

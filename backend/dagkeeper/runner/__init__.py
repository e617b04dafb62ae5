"""The task runner: run one try of one task instance and record everything about it.

``dagkeeper tasks run DAG_ID RUN_ID TASK_ID --try N`` and the local executor's
forked children both call :func:`run_task_instance`; the executor's per-DAG
templates call :func:`preload_dag` first.
"""

from dagkeeper.runner.preload import preload_dag
from dagkeeper.runner.task import run_task_instance, warm_up

__all__ = ["preload_dag", "run_task_instance", "warm_up"]

"""The task runner: run one try of one task instance and record everything about it.

``dagkeeper tasks run DAG_ID RUN_ID TASK_ID --try N`` and the local executor's
forked children both call :func:`run_task_instance`.
"""

from dagkeeper.runner.task import run_task_instance, warm_up

__all__ = ["run_task_instance", "warm_up"]

"""``BashOperator``: run a shell command with ``bash -c``.

Output lines are printed as they arrive, so the runner's captured stdout is
the task log even for long commands. Exit code 0 succeeds (the last output
line is the return value), ``skip_on_exit_code`` (99) skips, anything else fails.
"""

from __future__ import annotations

import os
from typing import Any

from dagkeeper.authoring.baseoperator import BaseOperator
from dagkeeper.authoring.exceptions import TaskFailed, TaskSkipped
from dagkeeper.authoring.operators.subprocesses import stream


class BashOperator(BaseOperator):
    """``env`` replaces the inherited environment unless ``append_env=True``, as in Airflow."""

    template_fields = ("bash_command", "env")
    template_ext = (".sh", ".bash")  # a command ending so is a templated script file
    ui_color = "#f0ede4"

    def __init__(
        self,
        task_id: str,
        bash_command: str,
        env: dict[str, str] | None = None,
        cwd: str | None = None,
        append_env: bool = False,
        skip_on_exit_code: int = 99,
        **kwargs: Any,
    ):
        super().__init__(task_id=task_id, **kwargs)
        self.bash_command = bash_command
        self.env = env
        self.cwd = cwd
        self.append_env = append_env
        self.skip_on_exit_code = skip_on_exit_code

    def _environment(self) -> dict[str, str] | None:
        if self.env is None:
            return None
        base = dict(os.environ) if self.append_env else {}
        return {**base, **{str(k): str(v) for k, v in self.env.items()}}

    def execute(self, context: dict[str, Any]) -> str | None:
        code, last_line = stream(
            ["bash", "-c", self.bash_command], env=self._environment(), cwd=self.cwd
        )
        if code == self.skip_on_exit_code:
            raise TaskSkipped(f"Bash command exited with code {code}: skipping the task")
        if code != 0:
            raise TaskFailed(
                f"Bash command failed: it returned the non-zero exit code {code}", exit_code=code
            )
        return last_line

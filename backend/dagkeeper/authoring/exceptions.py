"""Errors raised by DAG authoring (at definition time) and by operators (at run time).

Definition-time errors subclass ``ValueError`` so a processor can record them as
import errors with the message the DAG author needs; run-time errors tell the
runner how a task ended.
"""


class DagDefinitionError(ValueError):
    """A DAG, task, group or parameter was defined wrongly; the message says how."""


class TaskFailed(Exception):
    """A task failed; ``exit_code`` is set when a subprocess's exit code decided it."""

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        self.exit_code = exit_code


class TaskSkipped(Exception):
    """A task chose to end as *skipped* rather than succeed or fail."""

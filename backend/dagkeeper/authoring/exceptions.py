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


class SensorTimeout(TaskFailed):
    """A sensor's ``timeout`` passed before its condition held: failed, with no retry."""


class TaskRescheduled(Exception):  # noqa: N818 -- the peer's AirflowRescheduleException, renamed
    """End this try for now and run it again at ``reschedule_date``, as the same try.

    ``first_poke_at`` and ``poke_count`` travel with it so a sensor's timeout
    and backoff count across reschedules.
    """

    def __init__(self, reschedule_date, first_poke_at=None, poke_count: int = 0):
        super().__init__(f"rescheduled to {reschedule_date.isoformat()}")
        self.reschedule_date = reschedule_date
        self.first_poke_at = first_poke_at
        self.poke_count = poke_count


class TaskDeferred(Exception):  # noqa: N818 -- the peer's name
    """Hand the wait to the triggerer: resume with ``method_name(context, event=...)`` once
    ``trigger`` (a :class:`dagkeeper.authoring.triggers.BaseTrigger`) fires."""

    def __init__(self, *, trigger, method_name: str, kwargs=None, timeout=None):
        super().__init__(f"deferred on {trigger!r}")
        self.trigger = trigger
        self.method_name = method_name
        self.kwargs = dict(kwargs or {})
        self.timeout = timeout

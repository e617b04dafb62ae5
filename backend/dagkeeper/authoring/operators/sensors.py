"""The built-in sensors, under the peer's names: time, file, Python and Bash conditions.

The time sensors (and ``FileSensor``) take ``deferrable=True`` (or their
``...Async`` names): instead of poking, the try ends in state ``deferred``
with a trigger the triggerer process waits on, and resumes -- same try --
through ``execute_complete`` once it fires.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from dagkeeper.authoring.baseoperator import _seconds
from dagkeeper.authoring.exceptions import (
    DagDefinitionError,
    TaskDeferred,
    TaskFailed,
)
from dagkeeper.authoring.operators.python import call_callable, take_callable
from dagkeeper.authoring.operators.subprocesses import stream
from dagkeeper.authoring.sensors import BaseSensorOperator, PokeReturnValue
from dagkeeper.authoring.triggers import DateTimeTrigger, FileTrigger


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _DeferrableTimeSensor(BaseSensorOperator):
    """Waits until :meth:`target` (from the context); deferrable or poking."""

    def __init__(self, task_id: str, *, deferrable: bool = False, **kwargs: Any):
        super().__init__(task_id=task_id, **kwargs)
        self.deferrable = bool(deferrable)

    def target(self, context: dict[str, Any]) -> datetime:
        raise NotImplementedError

    def poke(self, context: dict[str, Any]) -> bool:
        target = self.target(context)
        print(f"Checking if the time ({target.isoformat()}) has come", flush=True)
        return datetime.now(UTC) >= target

    def execute(self, context: dict[str, Any]) -> Any:
        if not self.deferrable:
            return super().execute(context)
        target = self.target(context)
        if datetime.now(UTC) >= target:
            return None
        timeout_at = self.timeout_at(context)
        trigger = DateTimeTrigger(target, timeout_at if timeout_at < target else None)
        raise TaskDeferred(trigger=trigger, method_name="execute_complete")

    def execute_complete(self, context: dict[str, Any], event: Any = None) -> None:
        """The trigger fired: the time has come, or the sensor's timeout passed first."""
        if event and event.get("timeout"):
            self.time_out(
                f"Sensor has timed out: {self.target(context).isoformat()} did not come "
                f"within the specified timeout of {self.timeout:g} s."
            )
        print(f"Resumed: the trigger fired ({event})", flush=True)


class DateTimeSensor(_DeferrableTimeSensor):
    """Waits until ``target_time`` (a datetime or an ISO-8601 string; templated)."""

    template_fields = ("target_time",)

    def __init__(self, task_id: str, *, target_time: datetime | str, **kwargs: Any):
        super().__init__(task_id=task_id, **kwargs)
        if not isinstance(target_time, datetime | str):
            raise DagDefinitionError(
                f"target_time of {self.task_id!r} must be a datetime or a string, "
                f"got {type(target_time).__name__}"
            )
        self.target_time = (
            target_time.isoformat() if isinstance(target_time, datetime) else target_time
        )

    def target(self, context: dict[str, Any]) -> datetime:
        return _aware(datetime.fromisoformat(str(self.target_time)))


class TimeDeltaSensor(_DeferrableTimeSensor):
    """Waits until ``delta`` after the run's data interval end (its logical date without one)."""

    def __init__(self, task_id: str, *, delta: timedelta | float, **kwargs: Any):
        super().__init__(task_id=task_id, **kwargs)
        self.delta = timedelta(seconds=_seconds("delta", delta, self.task_id) or 0.0)

    def target(self, context: dict[str, Any]) -> datetime:
        base = context.get("data_interval_end") or context["logical_date"]
        return _aware(base) + self.delta


class DateTimeSensorAsync(DateTimeSensor):
    """``DateTimeSensor(deferrable=True)``, under the peer's older name."""

    def __init__(self, task_id: str, **kwargs: Any):
        kwargs.setdefault("deferrable", True)
        super().__init__(task_id=task_id, **kwargs)


class TimeDeltaSensorAsync(TimeDeltaSensor):
    """``TimeDeltaSensor(deferrable=True)``, under the peer's older name."""

    def __init__(self, task_id: str, **kwargs: Any):
        kwargs.setdefault("deferrable", True)
        super().__init__(task_id=task_id, **kwargs)


class FileSensor(BaseSensorOperator):
    """Waits for a file or folder (a glob pattern too) at ``filepath`` (templated).

    ``fs_conn_id`` is accepted for the peer's DAGs; paths are read as given.
    """

    template_fields = ("filepath",)
    ui_color = "#91818a"

    def __init__(
        self, task_id: str, *, filepath: str, fs_conn_id: str = "fs_default",
        recursive: bool = False, deferrable: bool = False, **kwargs: Any,
    ):  # fmt: skip
        super().__init__(task_id=task_id, **kwargs)
        self.filepath = filepath
        self.fs_conn_id = fs_conn_id
        self.recursive = bool(recursive)
        self.deferrable = bool(deferrable)

    def poke(self, context: dict[str, Any]) -> bool:
        print(f"Poking for file {self.filepath}", flush=True)
        for path in glob.glob(self.filepath, recursive=self.recursive):
            if os.path.isfile(path) or (os.path.isdir(path) and os.listdir(path)):
                print(f"Found {path}", flush=True)
                return True
        return False

    def execute(self, context: dict[str, Any]) -> Any:
        if not self.deferrable or self.poke(context):
            return super().execute(context)
        timeout_at = self.timeout_at(context)
        trigger = FileTrigger(self.filepath, self.recursive, self.poke_interval or 5.0, timeout_at)
        raise TaskDeferred(trigger=trigger, method_name="execute_complete")

    def execute_complete(self, context: dict[str, Any], event: Any = None) -> None:
        """The trigger fired: a file matched, or the sensor's timeout passed while deferred."""
        if not event:
            raise TaskFailed("the file trigger ended without an event")
        if event.get("timeout"):
            self.time_out(
                f"Sensor has timed out: no file matched {self.filepath} in {self.timeout:g} s."
            )
        print(f"Resumed: {event}", flush=True)


class PythonSensor(BaseSensorOperator):
    """Pokes by calling ``python_callable``; a true result (or ``PokeReturnValue``) ends it."""

    template_fields = ("op_args", "op_kwargs", "templates_dict")

    def __init__(
        self, task_id: str, *, python_callable: Callable[..., Any],
        op_args: list[Any] | tuple[Any, ...] | None = None,
        op_kwargs: dict[str, Any] | None = None, templates_dict: dict[str, Any] | None = None,
        **kwargs: Any,
    ):  # fmt: skip
        super().__init__(task_id=task_id, **kwargs)
        take_callable(self, python_callable, op_args, op_kwargs, templates_dict)

    def poke(self, context: dict[str, Any]) -> bool | PokeReturnValue:
        result = call_callable(self, context)
        return result if isinstance(result, PokeReturnValue) else bool(result)


class BashSensor(BaseSensorOperator):
    """Pokes by running ``bash_command``: exit code 0 ends it.

    Any other code pokes again, unless ``retry_exit_code`` is set: then only
    that code pokes again and any other fails the task (as in the peer).
    """

    template_fields = ("bash_command", "env")

    def __init__(
        self, task_id: str, *, bash_command: str, env: dict[str, str] | None = None,
        output_encoding: str = "utf-8", retry_exit_code: int | None = None,
        cwd: str | None = None, **kwargs: Any,
    ):  # fmt: skip
        super().__init__(task_id=task_id, **kwargs)
        self.bash_command = bash_command
        self.env = env
        self.output_encoding = output_encoding
        self.retry_exit_code = retry_exit_code
        self.cwd = cwd

    def poke(self, context: dict[str, Any]) -> bool:
        env = None if self.env is None else {str(k): str(v) for k, v in self.env.items()}
        code, _ = stream(["bash", "-c", self.bash_command], env=env, cwd=self.cwd)
        print(f"Command exited with return code {code}", flush=True)
        if self.retry_exit_code is not None and code not in (0, self.retry_exit_code):
            raise TaskFailed(f"Command exited with return code {code}", exit_code=code)
        return code == 0

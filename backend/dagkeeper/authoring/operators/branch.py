"""Operators that choose which downstream tasks run: branching and short-circuiting.

A branch names the downstream tasks to follow; every other *direct*
downstream task is skipped, and the scheduler's trigger rules carry the skip
further (a join after a branch wants ``none_failed_min_one_success``). Skips
are handed to the runner through ``ti.skip(task_ids)``, which writes them
with the task's own outcome in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time
from enum import IntEnum
from typing import Any

from dagkeeper.authoring.baseoperator import BaseOperator
from dagkeeper.authoring.exceptions import DagDefinitionError, TaskFailed
from dagkeeper.authoring.operators.python import PythonOperator


def skip_tasks(context: dict[str, Any], task_ids: Iterable[str]) -> None:
    """Ask the runner to skip ``task_ids`` of this run (those that have not started)."""
    ids = sorted(task_ids)
    if ids:
        print(f"Skipping {', '.join(ids)}", flush=True)
        context["ti"].skip(ids)


class BaseBranchOperator(BaseOperator):
    """Follow the task ids (or task group ids) that ``choose_branch(context)`` returns."""

    ui_color = "#ffe9c4"

    def choose_branch(self, context: dict[str, Any]) -> str | Iterable[str] | None:
        raise NotImplementedError(f"{type(self).__name__} must implement choose_branch(context)")

    def execute(self, context: dict[str, Any]) -> Any:
        return self.do_branch(context, self.choose_branch(context))

    def do_branch(self, context: dict[str, Any], branches: Any) -> Any:
        """Skip the direct downstream tasks not named in ``branches``; returns ``branches``."""
        chosen = {branches} if isinstance(branches, str) else set(branches or ())
        followed: set[str] = set()
        for ident in chosen:
            if ident in self.dag.task_group_dict:
                followed |= {t.task_id for t in self.dag.task_group_dict[ident].roots}
            elif ident in self.dag.task_dict:
                followed.add(ident)
            else:
                raise TaskFailed(
                    f"Branch {self.task_id!r} chose {ident!r}, which is no task or task group "
                    f"of DAG {self.dag.dag_id!r}"
                )
        print(f"Following branch {', '.join(sorted(chosen)) or '(none)'}", flush=True)
        skip_tasks(context, self.downstream_task_ids - followed)
        return branches


class BranchPythonOperator(PythonOperator, BaseBranchOperator):
    """The callable returns the task id (or ids, or group ids) to follow; None follows none."""

    def execute(self, context: dict[str, Any]) -> Any:
        return self.do_branch(context, PythonOperator.execute(self, context))


class ShortCircuitOperator(PythonOperator):
    """Continue when the callable's result is truthy; otherwise skip what follows.

    With ``ignore_downstream_trigger_rules=True`` (the default) every task
    downstream is skipped, except teardown tasks; with ``False`` only the
    direct downstream tasks are, and trigger rules decide the rest.
    """

    ui_color = "#e4f0e8"

    def __init__(self, *, ignore_downstream_trigger_rules: bool = True, **kwargs: Any):
        super().__init__(**kwargs)
        self.ignore_downstream_trigger_rules = ignore_downstream_trigger_rules

    def execute(self, context: dict[str, Any]) -> Any:
        result = super().execute(context)
        if result:
            print(f"Condition result is {result!r}: proceeding", flush=True)
            return result
        print(f"Condition result is {result!r}: short-circuiting", flush=True)
        if self.ignore_downstream_trigger_rules:
            skip_tasks(
                context, (t for t in descendants(self) if not self.dag.task_dict[t].is_teardown)
            )
        else:
            skip_tasks(context, self.downstream_task_ids)
        return result


def descendants(task: BaseOperator) -> set[str]:
    found: set[str] = set()
    pending = list(task.downstream_task_ids)
    while pending:
        task_id = pending.pop()
        if task_id not in found:
            found.add(task_id)
            pending.extend(task.dag.task_dict[task_id].downstream_task_ids)
    return found


class LatestOnlyOperator(BaseBranchOperator):
    """Skip the direct downstream tasks unless this is the latest scheduled run.

    A run is the latest when now falls in the interval after its own (its
    data interval's end plus its length); manual runs always go on.
    """

    ui_color = "#e9ffdb"

    def choose_branch(self, context: dict[str, Any]) -> Iterable[str]:
        run = context["dag_run"]
        start, end = run.data_interval_start, run.data_interval_end
        if run.run_type == "manual" or start is None or end is None:
            return self.downstream_task_ids
        now = datetime.now(UTC)
        if end < now <= end + (end - start):
            return self.downstream_task_ids
        print(f"Not the latest run (now {now.isoformat()}, run interval ends {end.isoformat()})")
        return ()


class WeekDay(IntEnum):
    """Days of the week, numbered as ``isoweekday()``."""

    MONDAY = 1
    TUESDAY = 2
    WEDNESDAY = 3
    THURSDAY = 4
    FRIDAY = 5
    SATURDAY = 6
    SUNDAY = 7

    @classmethod
    def convert(cls, day: str | int | WeekDay) -> int:
        if isinstance(day, str):
            try:
                return cls[day.upper()].value
            except KeyError:
                raise DagDefinitionError(f"Invalid week day {day!r}") from None
        return cls(day).value


class _FollowIfTrue(BaseBranchOperator):
    def __init__(
        self,
        *,
        follow_task_ids_if_true: str | Iterable[str],
        follow_task_ids_if_false: str | Iterable[str],
        use_task_logical_date: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.follow_task_ids_if_true = follow_task_ids_if_true
        self.follow_task_ids_if_false = follow_task_ids_if_false
        self.use_task_logical_date = use_task_logical_date

    def moment(self, context: dict[str, Any]) -> datetime:
        return context["logical_date"] if self.use_task_logical_date else datetime.now(UTC)

    def condition(self, context: dict[str, Any]) -> bool:
        raise NotImplementedError

    def choose_branch(self, context: dict[str, Any]) -> str | Iterable[str]:
        if self.condition(context):
            return self.follow_task_ids_if_true
        return self.follow_task_ids_if_false


class BranchDayOfWeekOperator(_FollowIfTrue):
    """Follow ``follow_task_ids_if_true`` on the given week day(s) (today, or the logical date)."""

    def __init__(self, *, week_day: Any, **kwargs: Any):
        super().__init__(**kwargs)
        days = [week_day] if isinstance(week_day, str | int) else list(week_day)
        self.week_days = {WeekDay.convert(day) for day in days}

    def condition(self, context: dict[str, Any]) -> bool:
        return self.moment(context).isoweekday() in self.week_days


class BranchDateTimeOperator(_FollowIfTrue):
    """Follow ``follow_task_ids_if_true`` when now (or the logical date) is in the window.

    ``target_lower``/``target_upper`` are datetimes or times of day (UTC when
    naive); either may be None for an open end; a time window may wrap midnight.
    """

    def __init__(
        self,
        *,
        target_lower: datetime | time | None,
        target_upper: datetime | time | None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if target_lower is None and target_upper is None:
            raise DagDefinitionError(
                f"Task {self.task_id!r}: target_lower and target_upper cannot both be None"
            )
        self.target_lower = target_lower
        self.target_upper = target_upper

    def condition(self, context: dict[str, Any]) -> bool:
        now = self.moment(context).astimezone(UTC)
        lower, upper = (_on_day(b, now) for b in (self.target_lower, self.target_upper))
        if lower is not None and upper is not None and upper < lower:  # wraps midnight
            return now >= lower or now <= upper
        return (lower is None or lower <= now) and (upper is None or now <= upper)


def _on_day(bound: datetime | time | None, now: datetime) -> datetime | None:
    if bound is None:
        return None
    if isinstance(bound, datetime):
        return bound if bound.tzinfo else bound.replace(tzinfo=UTC)
    moment = datetime.combine(now.date(), bound)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

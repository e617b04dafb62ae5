"""``BaseOperator``, the class every task is an instance of, and ``chain``.

Users subclass it and override ``execute(context)``. As in Airflow, the DAG's
``default_args`` fill in any ``__init__`` keyword argument (of the operator
class or of any base class) that the author did not pass explicitly.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from dagkeeper.authoring import context as _context
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.naming import check_full_id, check_label
from dagkeeper.authoring.params import Param, as_params
from dagkeeper.authoring.relations import DependencyMixin
from dagkeeper.serialization import TRIGGER_RULES

if TYPE_CHECKING:
    from dagkeeper.authoring.dag import DAG
    from dagkeeper.authoring.taskgroup import TaskGroup

_NOT_DEFAULTABLE = {"self", "task_id", "dag", "task_group"}


def _target_dag(kwargs: dict[str, Any]) -> DAG | None:
    """The DAG an operator being constructed will join (to read its default_args)."""
    if kwargs.get("task_group") is not None:
        return kwargs["task_group"].dag
    if kwargs.get("dag") is not None:
        return kwargs["dag"]
    current = _context.current_group()
    return current.dag if current is not None else None


def _apply_default_args(init: Callable[..., None]) -> Callable[..., None]:
    """Wrap an ``__init__`` so that default_args fill in its unpassed keyword arguments."""
    signature = inspect.signature(init)
    defaultable = {
        name
        for name, p in signature.parameters.items()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and name not in _NOT_DEFAULTABLE
    }

    @functools.wraps(init)
    def wrapper(self: BaseOperator, *args: Any, **kwargs: Any) -> None:
        dag = _target_dag(kwargs)
        default_args = dag.default_args if dag is not None else {}
        names = defaultable & default_args.keys()
        if names:
            try:
                given = signature.bind_partial(self, *args, **kwargs).arguments
            except TypeError:
                given = {}  # let the real call raise Python's own, clear, TypeError
            for name in names - given.keys():
                kwargs[name] = default_args[name]
        init(self, *args, **kwargs)

    return wrapper


def _seconds(name: str, value: Any, task_id: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise DagDefinitionError(
        f"{name} of task {task_id!r} must be a timedelta or a number of seconds, got {value!r}"
    )


class BaseOperator(DependencyMixin):
    """One task of a DAG. Subclass it and implement ``execute(context)``.

    ``template_fields`` names the attributes the runner renders with Jinja
    before ``execute``; their raw values are stored in the DAG document.
    """

    template_fields: tuple[str, ...] = ()
    ui_color: str = "#fff"
    ui_fgcolor: str = "#000"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = _apply_default_args(cls.__init__)  # type: ignore[method-assign]

    def __init__(
        self,
        task_id: str,
        *,
        owner: str = "dagkeeper",
        retries: int = 0,
        retry_delay: timedelta | float = timedelta(seconds=300),
        trigger_rule: str = "all_success",
        execution_timeout: timedelta | float | None = None,
        doc_md: str | None = None,
        dag: DAG | None = None,
        task_group: TaskGroup | None = None,
        ui_color: str | None = None,
        ui_fgcolor: str | None = None,
        params: dict[str, Any] | None = None,
        queue: str | None = None,
        **unknown: Any,
    ):
        name = type(self).__name__
        if unknown:
            raise TypeError(
                f"Invalid arguments were passed to {name} (task_id {task_id!r}): "
                f"unexpected keyword argument(s) {', '.join(map(repr, sorted(unknown)))}"
            )
        self.label = check_label("task_id", task_id)
        group = _group_for(task_id, dag, task_group)
        self.task_group: TaskGroup = group
        self.dag: DAG = group.dag
        self.task_id = check_full_id("task_id", group.child_id(task_id))
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise DagDefinitionError(
                f"Invalid retries {retries!r} for task {self.task_id!r}: must be an integer >= 0"
            )
        if trigger_rule not in TRIGGER_RULES:
            raise DagDefinitionError(
                f"Unknown trigger rule {trigger_rule!r} for task {self.task_id!r}; "
                f"valid trigger rules are: {', '.join(TRIGGER_RULES)}"
            )
        if queue is not None and (not isinstance(queue, str) or not 1 <= len(queue) <= 256):
            raise DagDefinitionError(
                f"Invalid queue {queue!r} for task {self.task_id!r}: must be a name of 1-256 "
                "characters"
            )
        self.queue = queue  # None: the default queue of the deployment (DAGKEEPER_DEFAULT_QUEUE)
        self.owner = owner
        self.retries = retries
        self.retry_delay = retry_delay
        self.retry_delay_seconds: float = _seconds("retry_delay", retry_delay, self.task_id) or 0.0
        self.execution_timeout = execution_timeout
        self.execution_timeout_seconds = _seconds(
            "execution_timeout", execution_timeout, self.task_id
        )
        self.trigger_rule = trigger_rule
        self.doc_md = doc_md
        self.params: dict[str, Param] = as_params(params)
        if ui_color is not None:
            self.ui_color = ui_color
        if ui_fgcolor is not None:
            self.ui_fgcolor = ui_fgcolor
        self._upstream_ids: set[str] = set()
        self._downstream_ids: set[str] = set()
        self.dag.add_task(self)
        group.children[self.task_id] = self

    def execute(self, context: dict[str, Any]) -> Any:
        """Do the task's work; the return value becomes its XCom."""
        raise NotImplementedError(f"{type(self).__name__} must implement execute(context)")

    @property
    def operator_name(self) -> str:
        return type(self).__name__

    @property
    def upstream_task_ids(self) -> set[str]:
        return set(self._upstream_ids)

    @property
    def downstream_task_ids(self) -> set[str]:
        return set(self._downstream_ids)

    @property
    def upstream_list(self) -> list[BaseOperator]:
        return [self.dag.get_task(t) for t in sorted(self._upstream_ids)]

    @property
    def downstream_list(self) -> list[BaseOperator]:
        return [self.dag.get_task(t) for t in sorted(self._downstream_ids)]

    @property
    def roots(self) -> list[BaseOperator]:
        return [self]

    @property
    def leaves(self) -> list[BaseOperator]:
        return [self]

    def __repr__(self) -> str:
        return f"<Task({type(self).__name__}): {self.task_id}>"


BaseOperator.__init__ = _apply_default_args(BaseOperator.__init__)  # type: ignore[method-assign]


def _group_for(task_id: str, dag: DAG | None, task_group: TaskGroup | None) -> TaskGroup:
    if task_group is not None:
        if dag is not None and task_group.dag is not dag:
            raise DagDefinitionError(
                f"Task {task_id!r}: task_group {task_group.group_id!r} belongs to DAG "
                f"{task_group.dag.dag_id!r}, not to {dag.dag_id!r}"
            )
        return task_group
    return _context.enclosing_group(dag, f"Task {task_id!r}", "dag=")


def chain(*items: Any) -> None:
    """Link each item to the next: ``chain(a, [b, c], d)`` is ``a >> [b, c] >> d``.

    Two adjacent lists are linked element-wise and must have the same length.
    """
    for up, down in zip(items, items[1:], strict=False):
        if isinstance(up, list | tuple) and isinstance(down, list | tuple):
            if len(up) != len(down):
                raise DagDefinitionError(
                    f"chain() cannot link lists of different lengths ({len(up)} and "
                    f"{len(down)}): adjacent lists are linked element-wise"
                )
            for u, d in zip(up, down, strict=True):
                u >> d
        elif isinstance(up, list | tuple):
            down.set_upstream(up)
        else:
            up >> down

"""``BaseOperator``, the class every task is an instance of, and ``chain``.

Users subclass it and override ``execute(context)``. As in Airflow, the DAG's
``default_args`` fill in any ``__init__`` keyword argument (of the operator
class or of any base class) that the author did not pass explicitly.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Collection
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from dagkeeper.authoring import context as _context
from dagkeeper.authoring.assets import asset_references
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.naming import check_full_id, check_label
from dagkeeper.authoring.params import Param, as_params
from dagkeeper.authoring.relations import DependencyMixin
from dagkeeper.serialization import TRIGGER_RULES, TriggerRule
from dagkeeper.serialization.document import retry_delay_after
from dagkeeper.serialization.schemas import WEIGHT_RULES

if TYPE_CHECKING:
    from dagkeeper.authoring.dag import DAG
    from dagkeeper.authoring.mapping import ExpandInput, OperatorPartial
    from dagkeeper.authoring.taskgroup import TaskGroup

_NOT_DEFAULTABLE = {"self", "task_id", "dag", "task_group"}

# The peer's task arguments that cannot apply here (no mail server, no SLA
# machinery, no lineage, no per-task dates or users): accepted so its DAG
# files load, and listed in the README as no-ops.
NO_OP_ARGUMENTS = frozenset({
    "email", "email_on_failure", "email_on_retry", "sla", "run_as_user", "resources", "start_date", "end_date", "max_active_tis_per_dag", "max_active_tis_per_dagrun",
    "task_concurrency", "owner_links", "map_index_template", "logger_name",
    "allow_nested_operators", "on_skipped_callback",
})  # fmt: skip

_CALLBACKS = (
    "on_execute_callback", "on_success_callback", "on_failure_callback", "on_retry_callback",
)  # fmt: skip


def _target_dag(kwargs: dict[str, Any]) -> DAG | None:
    """The DAG an operator being constructed will join (to read its default_args)."""
    if kwargs.get("task_group") is not None:
        return kwargs["task_group"].dag
    if kwargs.get("dag") is not None:
        return kwargs["dag"]
    current = _context.current_group()
    return current.dag if current is not None else None


def _passed(
    signature: inspect.Signature, self: BaseOperator, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Collection[str]:
    """The names a call passed. Keywords alone need no binding: that is the common call,
    and binding costs more than the rest of building a task."""
    if not args:
        return kwargs.keys()
    try:
        return signature.bind_partial(self, *args, **kwargs).arguments.keys()
    except TypeError:
        return ()  # let the real call raise Python's own, clear, TypeError


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
            for name in names.difference(_passed(signature, self, args, kwargs)):
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
    expand_input: ExpandInput | None = None  # set on a mapped task (see authoring.mapping)
    maps_into_op_kwargs = False  # @task functions take mapped values as keyword arguments
    mapped_group: ExpandInput | None = None  # set on the tasks of a mapped task group
    mapped_group_id: str | None = None  # and the id of that group, for the scheduler
    template_ext: tuple[str, ...] = ()  # a template field ending so is read from that file
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
        depends_on_past: bool = False,
        wait_for_downstream: bool = False,
        task_display_name: str | None = None,
        priority_weight: int = 1,
        weight_rule: str = "downstream",
        pool: str | None = None,
        pool_slots: int = 1,
        queue: str | None = None,
        executor_config: dict[str, Any] | None = None,
        do_xcom_push: bool = True,
        multiple_outputs: bool = False,
        retry_exponential_backoff: bool = False,
        max_retry_delay: timedelta | float | None = None,
        on_execute_callback: Any = None,
        on_success_callback: Any = None,
        on_failure_callback: Any = None,
        on_retry_callback: Any = None,
        doc: str | None = None,
        doc_rst: str | None = None,
        doc_json: str | None = None,
        doc_yaml: str | None = None,
        inlets: Any = None,
        outlets: Any = None,
        **unknown: Any,
    ):
        name = type(self).__name__
        unknown = {k: v for k, v in unknown.items() if k not in NO_OP_ARGUMENTS}
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
        if weight_rule not in WEIGHT_RULES:
            raise DagDefinitionError(
                f"Unknown weight rule {weight_rule!r} for task {self.task_id!r}; "
                f"valid weight rules are: {', '.join(WEIGHT_RULES)}"
            )
        for number_name, number, least in (("priority_weight", priority_weight, None),
                                           ("pool_slots", pool_slots, 1)):  # fmt: skip
            if (
                isinstance(number, bool)
                or not isinstance(number, int)
                or (least is not None and number < least)
            ):
                raise DagDefinitionError(
                    f"Invalid {number_name} {number!r} for task {self.task_id!r}: "
                    "must be an integer" + (f" >= {least}" if least is not None else "")
                )
        self.owner = owner
        self.retries = retries
        self.retry_delay = retry_delay
        self.retry_delay_seconds: float = _seconds("retry_delay", retry_delay, self.task_id) or 0.0
        self.execution_timeout = execution_timeout
        self.execution_timeout_seconds = _seconds(
            "execution_timeout", execution_timeout, self.task_id
        )
        self.trigger_rule = TriggerRule(trigger_rule).value
        self.doc_md = doc_md or _doc_block(doc, doc_rst, doc_json, doc_yaml)
        # wait_for_downstream implies depends_on_past, as in the peer
        self.depends_on_past = bool(depends_on_past or wait_for_downstream)
        self.wait_for_downstream = bool(wait_for_downstream)
        self.task_display_name = task_display_name
        self.priority_weight = priority_weight
        self.weight_rule = str(weight_rule)
        self.pool = pool or "default_pool"
        self.pool_slots = pool_slots
        self.queue = queue  # None: the default queue of the deployment (DAGKEEPER_DEFAULT_QUEUE)
        self.executor_config = dict(executor_config or {})
        self.do_xcom_push = bool(do_xcom_push)
        self.multiple_outputs = bool(multiple_outputs)
        self.retry_exponential_backoff = bool(retry_exponential_backoff)
        self.max_retry_delay_seconds = _seconds("max_retry_delay", max_retry_delay, self.task_id)
        self.callbacks: dict[str, list[Callable[..., Any]]] = {
            name: _callables(name, callback, self.task_id)
            for name, callback in zip(
                _CALLBACKS,
                (on_execute_callback, on_success_callback, on_failure_callback, on_retry_callback),
                strict=True,
            )
        }
        self.is_setup = False
        self.is_teardown = False
        self.on_failure_fail_dagrun = False
        self.inlets = asset_references("inlets", self.task_id, inlets)
        self.outlets = asset_references("outlets", self.task_id, outlets)
        self.params: dict[str, Param] = as_params(params)
        if ui_color is not None:
            self.ui_color = ui_color
        if ui_fgcolor is not None:
            self.ui_fgcolor = ui_fgcolor
        self._upstream_ids: set[str] = set()
        self._downstream_ids: set[str] = set()
        self.dag.add_task(self)
        group.children[self.task_id] = self

    @classmethod
    def partial(cls, **kwargs: Any) -> OperatorPartial:
        """The arguments every map index shares; ``.expand(...)`` names the mapped ones."""
        from dagkeeper.authoring.mapping import OperatorPartial

        return OperatorPartial(cls, kwargs.get("task_id"), kwargs, function=False)

    @property
    def is_mapped(self) -> bool:
        return self.expand_input is not None

    def execute(self, context: dict[str, Any]) -> Any:
        """Do the task's work; the return value becomes its XCom."""
        raise NotImplementedError(f"{type(self).__name__} must implement execute(context)")

    @property
    def operator_name(self) -> str:
        return type(self).__name__

    @property
    def output(self) -> Any:
        """This task's return value, as an ``XComArg`` to pass to other tasks."""
        from dagkeeper.authoring.xcom import XComArg

        return XComArg(self)

    def retry_delay_for(self, try_number: int) -> float:
        """Seconds before the next try after try ``try_number`` fails (see ``retry_delay_after``)."""
        return retry_delay_after(
            self.retry_delay_seconds, self.retry_exponential_backoff,
            self.max_retry_delay_seconds, try_number,
        )  # fmt: skip

    def as_setup(self) -> BaseOperator:
        """Mark this task as a setup task (it prepares what work and teardown tasks use)."""
        if self.is_teardown:
            raise DagDefinitionError(f"Task {self.task_id!r} cannot be both setup and teardown")
        self.is_setup = True
        return self

    def as_teardown(self, setups: Any = None, on_failure_fail_dagrun: bool = False) -> BaseOperator:
        """Mark this task as a teardown task of ``setups``: it runs once they are done.

        Its trigger rule becomes ``all_done_setup_success``: it runs whatever
        the work tasks did, unless none of its setups succeeded. Its failure
        fails the run only with ``on_failure_fail_dagrun=True``.
        """
        if self.is_setup:
            raise DagDefinitionError(f"Task {self.task_id!r} cannot be both setup and teardown")
        self.is_teardown = True
        self.on_failure_fail_dagrun = bool(on_failure_fail_dagrun)
        self.trigger_rule = TriggerRule.ALL_DONE_SETUP_SUCCESS.value
        if setups is not None:
            for setup in setups if isinstance(setups, list | tuple) else [setups]:
                for task in setup.leaves:
                    task.as_setup()
                self.set_upstream(setup)
        return self

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

    def __enter__(self) -> BaseOperator:
        """``with teardown.as_teardown(setups=s):`` puts the tasks made inside between s and it."""
        if not self.is_teardown:
            raise DagDefinitionError(
                f"Task {self.task_id!r} is not a teardown task: only "
                "`with task.as_teardown(setups=...):` opens a setup/teardown scope"
            )
        self._tasks_before_scope = set(self.dag.task_dict)
        return self

    def __exit__(self, *exc: object) -> None:
        before = self._tasks_before_scope
        inside = [t for task_id, t in self.dag.task_dict.items() if task_id not in before]
        ids = {t.task_id for t in inside}
        setups = [self.dag.task_dict[u] for u in sorted(self.upstream_task_ids)]
        for task in inside:
            if not task.upstream_task_ids & ids:
                task.set_upstream([s for s in setups if s.is_setup])
            if not task.downstream_task_ids & ids:
                task.set_downstream(self)

    def __repr__(self) -> str:
        return f"<Task({type(self).__name__}): {self.task_id}>"


BaseOperator.__init__ = _apply_default_args(BaseOperator.__init__)  # type: ignore[method-assign]


def _doc_block(doc: str | None, rst: str | None, json: str | None, yaml: str | None) -> str | None:
    """``doc``/``doc_rst``/``doc_json``/``doc_yaml`` shown as Markdown (code blocks but plain doc)."""
    if doc:
        return doc
    for language, text in (("rst", rst), ("json", json), ("yaml", yaml)):
        if text:
            return f"```{language}\n{text.strip()}\n```"
    return None


def _callables(name: str, value: Any, task_id: str) -> list[Callable[..., Any]]:
    functions = list(value) if isinstance(value, list | tuple) else [value] if value else []
    for function in functions:
        if not callable(function):
            raise DagDefinitionError(
                f"{name} of task {task_id!r} must be callable, got {function!r}"
            )
    return functions


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


def cross_downstream(from_tasks: list[Any], to_tasks: list[Any]) -> None:
    """Make every task of ``from_tasks`` upstream of every task of ``to_tasks``."""
    for task in from_tasks:
        task.set_downstream(to_tasks)

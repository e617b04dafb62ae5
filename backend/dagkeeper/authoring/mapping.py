"""Dynamic task mapping: ``.partial(...).expand(...)``, ``.expand_kwargs(...)`` and ``.zip()``.

A mapped task is one operator whose mapped arguments are placeholders: the
scheduler, reading only the stored document, makes one task instance per
element (``map_index`` 0..n-1) once the sources are known, and the runner
of map index ``i`` puts element ``i`` in place before the task runs.

Several ``expand`` keywords make the cross product (the last keyword varies
fastest, as in Airflow); ``a.zip(b)`` pairs elements; ``expand_kwargs`` takes
a list of keyword dicts. A source is a literal list or dict (a dict maps over
its ``(key, value)`` pairs) or an upstream task's XCom (``XComArg``).
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.placeholders import Placeholder, find_all
from dagkeeper.serialization import jsonable

if TYPE_CHECKING:
    from dagkeeper.authoring.baseoperator import BaseOperator

NO_FILL = object()


class ZipArg:
    """``a.zip(b, c)``: element i is ``(a[i], b[i], c[i])``; shortest wins without a fillvalue."""

    def __init__(self, sources: Sequence[Any], fillvalue: Any = NO_FILL):
        self.sources = list(sources)
        self.fillvalue = fillvalue

    def values(self, context: dict[str, Any]) -> list[Any]:
        columns = [as_sequence(resolve_source(s, context)) for s in self.sources]
        if self.fillvalue is NO_FILL:
            return [list(row) for row in zip(*columns, strict=False)]
        return [list(row) for row in itertools.zip_longest(*columns, fillvalue=self.fillvalue)]


def resolve_source(source: Any, context: dict[str, Any]) -> Any:
    """The whole value a mapped argument ranges over, at run time."""
    if isinstance(source, ZipArg):
        return source.values(context)
    if isinstance(source, Placeholder):
        return source.resolve(context)
    return source


def as_sequence(value: Any) -> list[Any]:
    """What a mapped argument ranges over: a list's items, a dict's ``[key, value]`` pairs."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [[k, v] for k, v in value.items()]
    if isinstance(value, list | tuple):
        return list(value)
    raise TypeError(f"cannot map over a value of type {type(value).__name__}: {value!r}")


def source_document(source: Any) -> dict[str, Any]:
    """A mapped source as stored data (the scheduler computes lengths from it)."""
    from dagkeeper.authoring.xcom import XComArg

    if isinstance(source, ZipArg):
        doc: dict[str, Any] = {
            "type": "zip",
            "sources": [source_document(s) for s in source.sources],
        }
        if source.fillvalue is not NO_FILL:
            doc["fillvalue"] = jsonable(source.fillvalue)
        return doc
    if isinstance(source, XComArg):
        return {"type": "xcom", "task_id": source.task_id, "key": source.key}
    if isinstance(source, dict | list | tuple):
        if find_all(source):
            raise DagDefinitionError(
                "a mapped literal cannot contain XComArg values; map over the XComArg itself"
            )
        return {"type": "literal", "value": jsonable(source)}
    raise DagDefinitionError(
        f"expand() maps over a list, a dict or an XComArg, got {type(source).__name__}: {source!r}"
    )


class ExpandInput:
    """What a mapped task expands over: keyword -> source (``dict``), or one source of dicts."""

    def __init__(self, kind: str, arguments: dict[str, Any] | None = None, value: Any = None):
        self.kind = kind  # "dict": expand(**kwargs); "list": expand_kwargs(value)
        self.arguments = dict(arguments or {})
        self.value = value

    def sources(self) -> list[Any]:
        return list(self.arguments.values()) if self.kind == "dict" else [self.value]

    def to_document(self) -> dict[str, Any]:
        if self.kind == "dict":
            return {
                "kind": "dict",
                "arguments": [
                    {"name": name, "source": source_document(source)}
                    for name, source in self.arguments.items()
                ],
            }
        return {"kind": "list", "source": source_document(self.value)}

    def kwargs_for(self, map_index: int, context: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments of map index ``map_index``."""
        if self.kind == "list":
            rows = as_sequence(resolve_source(self.value, context))
            row = rows[map_index]
            if not isinstance(row, dict):
                raise TypeError(
                    f"expand_kwargs needs a list of dicts; element {map_index} is {row!r}"
                )
            return dict(row)
        columns = {
            name: as_sequence(resolve_source(source, context))
            for name, source in self.arguments.items()
        }
        chosen: dict[str, Any] = {}
        index = map_index
        for name in reversed(list(columns)):  # the last keyword varies fastest
            values = columns[name]
            chosen[name] = values[index % len(values)]
            index //= len(values)
        return chosen


def xcom_args_of(expand_input: ExpandInput) -> list[Any]:
    """The ``XComArg`` values the expansion reads (their tasks are upstream of the mapped task)."""
    found: list[Any] = []
    for source in expand_input.sources():
        found += find_all(source.sources if isinstance(source, ZipArg) else source)
    return [p for p in found if hasattr(p, "operator")]


def check_pushed_for_mapping(task: BaseOperator, xcoms: dict[str, Any], limit: int) -> None:
    """Fail the try whose XCom a downstream mapped task cannot expand over (as Airflow does).

    A list or a dict of at most ``limit`` elements is mappable; nothing
    (``None``) maps to no task instance at all. A mapped task's values are
    elements already: a task mapped over it gets one per map index.
    """
    if task.expand_input is not None:
        return
    for downstream in task.downstream_list:
        if downstream.expand_input is None:
            continue
        for arg in xcom_args_of(downstream.expand_input):
            value = xcoms.get(arg.key) if arg.operator is task else None
            if value is None:
                continue
            if not isinstance(value, list | tuple | dict):
                raise TypeError(
                    f"{downstream.task_id!r} maps over this task's XCom {arg.key!r}, which must be "
                    f"a list or a dict; it is {type(value).__name__}: {value!r:.100}"
                )
            if len(value) > limit:
                raise ValueError(
                    f"{downstream.task_id!r} maps over this task's XCom {arg.key!r} of "
                    f"{len(value)} elements; at most {limit} are allowed (max_map_length)"
                )


def check_mapped_names(task_id: str, names: Sequence[str], partial: dict[str, Any]) -> None:
    overlap = sorted(set(names) & set(partial))
    if overlap:
        raise DagDefinitionError(
            f"Task {task_id!r}: argument(s) {', '.join(overlap)} given to both partial() and expand()"
        )
    if not names:
        raise DagDefinitionError(f"Task {task_id!r}: expand() needs at least one keyword argument")


class MappedValue(Placeholder):
    """Stands in for a mapped keyword until the runner knows the map index."""

    def __init__(self, name: str):
        self.name = name

    def resolve(self, context: dict[str, Any]) -> Any:
        mapped = context.get("expanded") or {}
        return mapped.get(self.name)

    def __repr__(self) -> str:
        return f"MappedValue({self.name!r})"


class OperatorPartial:
    """``Operator.partial(**kwargs)`` or ``@task`` ``.partial(...)``: waiting for ``expand``.

    ``make`` builds the task from keyword arguments (an operator class, or a
    ``@task`` function, which returns an ``XComArg`` and takes mapped values as
    its own keyword arguments).
    """

    def __init__(self, make: Any, task_id: str | None, kwargs: dict[str, Any], *, function: bool):
        if not task_id:
            raise DagDefinitionError(f"{getattr(make, '__name__', make)}.partial() needs a task_id")
        self.make = make
        self.task_id = task_id
        self.kwargs = kwargs
        self.function = function

    def expand(self, **mapped: Any) -> Any:
        check_mapped_names(self.task_id, list(mapped), self.kwargs)
        return self._make(ExpandInput("dict", arguments=mapped), list(mapped))

    def expand_kwargs(self, value: Any) -> Any:
        return self._make(ExpandInput("list", value=value), [])

    def _make(self, expand_input: ExpandInput, names: list[str]) -> Any:
        if not self.function and expand_input.kind == "list":  # names known only at run time
            names = [*names, *(n for n in _required(self.make) if n not in self.kwargs)]
        made = self.make(
            **self.kwargs, **{name: MappedValue(name) for name in dict.fromkeys(names)}
        )
        operator = made.operator if self.function else made
        operator.maps_into_op_kwargs = self.function
        mark_mapped(operator, expand_input)
        return made


def _required(operator_class: Any) -> list[str]:
    """Keyword arguments an operator class cannot be built without."""
    parameters = inspect.signature(operator_class.__init__).parameters.values()
    return [
        p.name for p in parameters
        if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        and p.name not in ("self", "task_id")
    ]  # fmt: skip


def mark_mapped(operator: BaseOperator, expand_input: ExpandInput) -> BaseOperator:
    operator.expand_input = expand_input
    for source in expand_input.sources():
        source_document(source)  # refuses what cannot be mapped, at definition time
    for arg in xcom_args_of(expand_input):
        operator.set_upstream(arg.operator)
    return operator


def apply_expansion(task: BaseOperator, map_index: int, context: dict[str, Any]) -> dict[str, Any]:
    """Put map index ``map_index``'s values on ``task`` before it renders and runs.

    Classic operators get each mapped keyword as the attribute of that name
    (``expand_kwargs`` rows too); ``@task`` functions read them through their
    :class:`MappedValue` placeholders from ``context["expanded"]``.
    """
    expand_input = task.expand_input
    assert expand_input is not None
    chosen = expand_input.kwargs_for(map_index, context)
    context["expanded"] = chosen  # what MappedValue placeholders resolve to
    if task.mapped_group is not None:  # in a mapped group: only what holds a placeholder
        for name, value in list(vars(task).items()):
            if isinstance(value, MappedValue):
                setattr(task, name, chosen.get(value.name))
        return chosen
    for name, value in chosen.items():
        if task.maps_into_op_kwargs:
            task.op_kwargs[name] = value  # type: ignore[attr-defined]
        else:
            setattr(task, name, value)
    return chosen

"""Assets: data-aware scheduling, authored the peer's way and stored as data.

``Asset`` and ``AssetAlias`` name data a task produces (``outlets=``) or reads
(``inlets=``); ``schedule=[asset, ...]`` or a condition built with ``&`` and
``|`` runs a DAG when its assets were updated; ``AssetOrTimeSchedule`` adds a
time schedule. Everything becomes plain dicts in the document (see
:mod:`dagkeeper.serialization.assets`), so neither the scheduler nor the web
server ever needs these classes. ``outlet_events`` is the run-time accessor a
task uses to attach ``extra`` to its events or to emit events through an alias.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.serialization import jsonable
from dagkeeper.serialization.assets import extra_problem, uri_problem


class BaseAsset:
    """What can appear in an asset schedule: combine with ``&`` (all) and ``|`` (any)."""

    def __and__(self, other: BaseAsset) -> AssetAll:
        return AssetAll(self, _checked(other))

    def __or__(self, other: BaseAsset) -> AssetAny:
        return AssetAny(self, _checked(other))

    def as_condition(self) -> dict[str, Any]:
        raise NotImplementedError


def _checked(value: Any) -> BaseAsset:
    if not isinstance(value, BaseAsset):
        raise DagDefinitionError(f"{value!r} is not an Asset, AssetAlias, AssetAll or AssetAny")
    return value


class Asset(BaseAsset):
    """Data identified by ``uri`` (``scheme://...``, no credentials); ``name`` defaults to it."""

    def __init__(
        self,
        uri: str,
        name: str | None = None,
        *,
        group: str = "asset",
        extra: dict[str, Any] | None = None,
        **_peer: Any,  # e.g. ``watchers``: accepted, not used
    ):
        problem = uri_problem(uri)
        if problem:
            raise DagDefinitionError(f"Invalid asset URI {uri!r}: {problem}")
        self.uri = uri
        self.name = name if name is not None else uri
        self.group = group
        if extra is not None and not isinstance(extra, dict):
            raise DagDefinitionError(f"extra of asset {uri!r} must be a dict")
        self.extra = dict(extra or {})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Asset) and other.uri == self.uri

    def __hash__(self) -> int:
        return hash(("asset", self.uri))

    def __repr__(self) -> str:
        return f"Asset({self.uri!r})"

    def as_condition(self) -> dict[str, Any]:
        return {
            "type": "asset",
            "uri": self.uri,
            "name": self.name,
            "group": self.group,
            "extra": jsonable(self.extra),
        }


class AssetAlias(BaseAsset):
    """A name whose assets are decided at run time, by the events emitted through it."""

    def __init__(self, name: str, *, group: str = "asset"):
        if not isinstance(name, str) or not 1 <= len(name) <= 1500:
            raise DagDefinitionError(f"Invalid asset alias name {name!r}")
        self.name = name
        self.group = group

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssetAlias) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("alias", self.name))

    def __repr__(self) -> str:
        return f"AssetAlias({self.name!r})"

    def as_condition(self) -> dict[str, Any]:
        return {"type": "alias", "name": self.name}


class _Combination(BaseAsset):
    kind = ""

    def __init__(self, *objects: BaseAsset):
        if not objects:
            raise DagDefinitionError(f"{type(self).__name__} needs at least one asset")
        self.objects = [_checked(o) for o in objects]

    def as_condition(self) -> dict[str, Any]:
        return {"type": self.kind, "objects": [o.as_condition() for o in self.objects]}


class AssetAll(_Combination):
    """Satisfied when every one of its parts was updated."""

    kind = "all"


class AssetAny(_Combination):
    """Satisfied when any one of its parts was updated."""

    kind = "any"


@dataclass
class AssetOrTimeSchedule:
    """Run on the time schedule ``timetable`` and also whenever ``assets`` are updated."""

    timetable: Any
    assets: Any


def asset_schedule(schedule: Any) -> tuple[dict[str, Any] | None, Any]:
    """Split ``schedule=`` into (the asset condition document, the time schedule left)."""
    if isinstance(schedule, AssetOrTimeSchedule):
        condition, rest = asset_schedule(schedule.assets)
        if condition is None or rest is not None:
            raise DagDefinitionError("AssetOrTimeSchedule needs assets= of assets")
        return condition, schedule.timetable
    if isinstance(schedule, BaseAsset):
        return schedule.as_condition(), None
    is_list = isinstance(schedule, list | tuple) and bool(schedule)
    if is_list and all(isinstance(item, BaseAsset) for item in schedule):
        combined = schedule[0] if len(schedule) == 1 else AssetAll(*schedule)
        return combined.as_condition(), None
    return None, schedule


def asset_references(argument: str, task_id: str, values: Any) -> list[BaseAsset]:
    """``inlets=``/``outlets=`` as a list of assets and aliases (one value or an iterable)."""
    if values is None:
        return []
    items = [values] if isinstance(values, BaseAsset) else list(values)
    for item in items:
        if not isinstance(item, Asset | AssetAlias):
            raise DagDefinitionError(
                f"{argument} of task {task_id!r}: {item!r} is not an Asset or AssetAlias"
            )
    return items


@dataclass
class OutletEventAccessor:
    """``outlet_events[asset].extra[...] = ...``; ``outlet_events[alias].add(asset, extra)``."""

    key: Asset | AssetAlias
    extra: dict[str, Any] = field(default_factory=dict)
    added: list[tuple[Asset, dict[str, Any]]] = field(default_factory=list)

    def add(self, asset: Asset, extra: dict[str, Any] | None = None) -> None:
        if not isinstance(self.key, AssetAlias):
            raise TypeError("add() is for an AssetAlias; set .extra for an Asset")
        if not isinstance(asset, Asset):
            raise TypeError(f"{asset!r} is not an Asset")
        self.added.append((asset, dict(extra or {})))


class OutletEventAccessors:
    """The ``outlet_events`` of a task's context; read by the runner when the task succeeds."""

    def __init__(self) -> None:
        self._accessors: dict[Asset | AssetAlias, OutletEventAccessor] = {}

    def __getitem__(self, key: Asset | AssetAlias) -> OutletEventAccessor:
        if not isinstance(key, Asset | AssetAlias):
            raise KeyError(f"{key!r} is not an Asset or AssetAlias")
        return self._accessors.setdefault(key, OutletEventAccessor(key))

    def events(self, outlets: Iterable[BaseAsset]) -> list[dict[str, Any]]:
        """One event per outlet asset (with its extra) and per asset added through an alias."""
        events = []
        for outlet in outlets:
            accessor = self._accessors.get(outlet)  # type: ignore[call-overload]
            if isinstance(outlet, Asset):
                extra = accessor.extra if accessor else {}
                events.append({**outlet.as_condition(), "extra": extra, "alias": None})
            elif accessor is not None:
                events.extend(
                    {**asset.as_condition(), "extra": extra, "alias": outlet.name}
                    for asset, extra in accessor.added
                )
        for event in events:
            problem = extra_problem(event["extra"])
            if problem:
                raise ValueError(f"outlet_events extra for {event['uri']!r} {problem}")
        return events


def asset(
    uri: str,
    *,
    schedule: Any = None,
    name: str | None = None,
    group: str = "asset",
    extra: dict[str, Any] | None = None,
    **dag_arguments: Any,
) -> Callable[[Callable[..., Any]], Asset]:
    """``@asset(uri, schedule=...)``: the function becomes a one-task DAG that produces ``uri``.

    The DAG and its task are named after the function; the decorated name is
    the :class:`Asset`, so other DAGs can schedule on it.
    """

    def wrap(function: Callable[..., Any]) -> Asset:
        from dagkeeper.authoring.dag import DAG
        from dagkeeper.authoring.operators.python import PythonOperator

        produced = Asset(uri, name or function.__name__, group=group, extra=extra)
        with DAG(function.__name__, schedule=schedule, **dag_arguments):
            PythonOperator(task_id=function.__name__, python_callable=function, outlets=[produced])
        return produced

    return wrap

"""Marshmallow schemas of the serialized DAG document, format 1.

They validate every document on its way into the database and turn stored
bytes back into the plain typed objects of :mod:`dagkeeper.serialization.document`.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from dagkeeper.serialization.assets import check_condition, check_reference

FORMAT = 1

SCHEDULE_KINDS = (
    "cron", "preset", "timedelta", "once", "none",
    "cron_trigger", "multi_cron_trigger", "delta_trigger", "events",
)  # fmt: skip
MAX_SCHEDULE_EVENTS = 10_000
# The extra fields each timetable kind stores (the classic kinds store none, so
# their documents, and hashes, are unchanged).
SCHEDULE_EXTRAS = {
    "cron_trigger": {"timezone", "interval"},
    "multi_cron_trigger": {"expressions", "timezone", "interval"},
    "delta_trigger": {"interval"},
    "events": {"events", "restrict_to_events", "description"},
}


class TriggerRule(StrEnum):
    """When a task runs, given its upstream tasks' states (the peer's names and meanings)."""

    ALL_SUCCESS = "all_success"
    ALL_FAILED = "all_failed"
    ALL_DONE = "all_done"
    ALL_DONE_MIN_ONE_SUCCESS = "all_done_min_one_success"
    ALL_DONE_SETUP_SUCCESS = "all_done_setup_success"
    ALL_SKIPPED = "all_skipped"
    ONE_SUCCESS = "one_success"
    ONE_FAILED = "one_failed"
    ONE_DONE = "one_done"
    NONE_FAILED = "none_failed"
    NONE_FAILED_MIN_ONE_SUCCESS = "none_failed_min_one_success"
    NONE_SKIPPED = "none_skipped"
    ALWAYS = "always"


class WeightRule(StrEnum):
    """How a task's effective priority weight is summed up (the scheduler runs heavier first)."""

    DOWNSTREAM = "downstream"
    UPSTREAM = "upstream"
    ABSOLUTE = "absolute"


TRIGGER_RULES = tuple(rule.value for rule in TriggerRule)
WEIGHT_RULES = tuple(rule.value for rule in WeightRule)
PERMISSIONS = ("can_read", "can_edit")
PARAM_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")

Number = fields.Raw  # an int, or a float only where it is not whole (checked by the encoder)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


REMEMBERED = 5_000  # valid sub-documents kept (about a kilobyte each, with their keys)
_valid: dict[str, Any] = {}  # schema name and canonical JSON -> what loading it gave


class _Remembered(fields.Nested):
    """A nested document validated once per distinct value.

    Tasks, groups, schedules and params are checked on their own (cross references
    are the document's own check), so one that validated clean validates clean
    whenever it recurs byte for byte: thousands of DAGs built from a few templates
    repeat the same tasks. What was loaded is kept, keyed by the value's canonical
    JSON, so a recurring value yields exactly what validating it would.
    """

    def _deserialize(
        self, value: Any, attr: Any, data: Any, partial: Any = None, **kwargs: Any
    ) -> Any:
        try:
            key = f"{type(self.schema).__name__}:{json.dumps(value, sort_keys=True)}"
        except (TypeError, ValueError):
            return super()._deserialize(value, attr, data, partial, **kwargs)
        if partial is None and key in _valid:
            return _valid[key]
        loaded = super()._deserialize(value, attr, data, partial, **kwargs)
        if partial is None:
            if len(_valid) >= REMEMBERED:
                _valid.clear()
            _valid[key] = loaded
        return loaded


def _check_timezone(name: str | None) -> None:
    if name is None:
        return
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"unknown timezone {name!r}") from exc


class _StringRows(fields.Field[list[list[str]]]):
    """A list of lists of ``size`` strings (edges, edge labels), checked in one loop.

    It rejects what ``List(List(String(), validate=Length(equal=size)))`` rejects,
    without three field calls per edge: a DAG has thousands of edges.
    """

    def __init__(self, size: int, **kwargs: Any):
        super().__init__(**kwargs)
        self.size = size

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[list[str]]:
        if not isinstance(value, list | tuple):
            raise ValidationError("Not a valid list.")
        for index, row in enumerate(value):
            if not isinstance(row, list | tuple) or len(row) != self.size:
                raise ValidationError({index: [f"Not a list of {self.size} strings."]})
            if not all(isinstance(item, str) for item in row):
                raise ValidationError({index: ["Not a valid string."]})
        return [list(row) for row in value]


class ScheduleSchema(_Strict):
    kind = fields.String(required=True, validate=validate.OneOf(SCHEDULE_KINDS))
    expression = fields.String(required=True, allow_none=True)
    seconds = fields.Integer(required=True, allow_none=True)
    # trigger timetables and events only (see SCHEDULE_EXTRAS)
    timezone = fields.String(allow_none=True, validate=_check_timezone)
    interval = fields.Integer(validate=validate.Range(min=0))
    expressions = fields.List(
        fields.String(validate=validate.Length(1, 100)), validate=validate.Length(1, 50)
    )
    events = fields.List(fields.AwareDateTime(), validate=validate.Length(0, MAX_SCHEDULE_EVENTS))
    restrict_to_events = fields.Boolean()
    description = fields.String(allow_none=True, validate=validate.Length(max=250))

    @validates_schema
    def _consistent(self, data: dict[str, Any], **_: Any) -> None:
        kind = data["kind"]
        if kind in ("timedelta", "delta_trigger") and not data.get("seconds"):
            raise ValidationError(f"a {kind} schedule needs positive seconds", "seconds")
        if kind in ("cron", "preset", "cron_trigger") and not data.get("expression"):
            raise ValidationError(f"a {kind} schedule needs an expression", "expression")
        given = set(data) - {"kind", "expression", "seconds"}
        wanted = SCHEDULE_EXTRAS.get(kind, set())
        for name in sorted(given ^ wanted):
            verb = "needs" if name in wanted else "takes no"
            raise ValidationError(f"a {kind} schedule {verb} {name}", name)


def param_type_problem(value: Any) -> str | None:
    """What is wrong with a JSON-schema ``type``: one name, or a list of distinct names such as
    ``["null", "string"]``; None when nothing is."""
    names = value if isinstance(value, list) else [value]
    if not names or len(set(map(str, names))) != len(names):
        return "must be a type name or a non-empty list of distinct type names"
    if any(name not in PARAM_TYPES for name in names):
        return f"valid types are {', '.join(PARAM_TYPES)}"
    return None


def _check_param_type(value: Any) -> None:
    problem = param_type_problem(value)
    if problem:
        raise ValidationError(problem)


class ParamSchema(_Strict):
    """Optional keywords (``description_md`` and after) are left out of a document when unset."""

    default = fields.Raw(required=True, allow_none=True)
    type = fields.Raw(required=True, allow_none=True, validate=_check_param_type)
    description = fields.String(required=True, allow_none=True)
    title = fields.String(required=True, allow_none=True)
    enum = fields.List(fields.Raw(allow_none=True), required=True, allow_none=True)
    minimum = Number(required=True, allow_none=True)
    maximum = Number(required=True, allow_none=True)
    required = fields.Boolean(required=True)
    position = fields.Integer(required=True, validate=validate.Range(min=0))  # declared order
    description_md = fields.String()
    examples = fields.List(fields.Raw(allow_none=True))
    values_display = fields.Dict(keys=fields.String(), values=fields.String())
    format = fields.String(validate=validate.Length(1, 50))


MAPPED_SOURCES = ("literal", "xcom", "zip")


class MappedSourceSchema(_Strict):
    """What a mapped argument ranges over: a literal list/dict, an upstream XCom, or a zip."""

    type = fields.String(required=True, validate=validate.OneOf(MAPPED_SOURCES))
    value = fields.Raw(allow_none=True)  # literal: the list or dict
    task_id = fields.String()  # xcom
    key = fields.String()  # xcom
    sources = fields.List(fields.Nested(lambda: MappedSourceSchema()))  # zip
    fillvalue = fields.Raw(allow_none=True)  # zip: pad to the longest instead of the shortest

    @validates_schema
    def _complete(self, data: dict[str, Any], **_: Any) -> None:
        needs = {"literal": ("value",), "xcom": ("task_id", "key"), "zip": ("sources",)}
        for name in needs[data["type"]]:
            if name not in data:
                raise ValidationError(f"a {data['type']} source needs {name}", name)
        if data["type"] == "literal" and not isinstance(data["value"], list | dict):
            raise ValidationError("a literal source is a list or a dict", "value")


class MappedArgumentSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(1, 250))
    source = fields.Nested(MappedSourceSchema, required=True)


class ExpandSchema(_Strict):
    """``expand(**kwargs)`` (kind ``dict``: cross product of arguments, in declared order) or
    ``expand_kwargs(source)`` (kind ``list``: one dict of keyword arguments per element)."""

    kind = fields.String(required=True, validate=validate.OneOf(("dict", "list")))
    arguments = fields.List(fields.Nested(MappedArgumentSchema))
    source = fields.Nested(MappedSourceSchema)

    @validates_schema
    def _complete(self, data: dict[str, Any], **_: Any) -> None:
        if data["kind"] == "dict" and not data.get("arguments"):
            raise ValidationError("expand needs at least one argument", "arguments")
        if data["kind"] == "list" and "source" not in data:
            raise ValidationError("expand_kwargs needs a source", "source")


def xcom_sources(source: dict[str, Any]) -> list[dict[str, Any]]:
    """The XCom sources inside a mapped source (a zip may hold several)."""
    if source["type"] == "zip":
        return [x for s in source["sources"] for x in xcom_sources(s)]
    return [source] if source["type"] == "xcom" else []


def expand_sources(expand: dict[str, Any]) -> list[dict[str, Any]]:
    if expand["kind"] == "list":
        return [expand["source"]]
    return [argument["source"] for argument in expand["arguments"]]


def xcom_sources_of(task: dict[str, Any]) -> list[dict[str, Any]]:
    """Every XCom a task's expansion reads (none for an unmapped task)."""
    expand = task.get("expand")
    return [x for s in expand_sources(expand) for x in xcom_sources(s)] if expand else []


class TaskSchema(_Strict):
    task_id = fields.String(required=True, validate=validate.Length(1, 250))
    label = fields.String(required=True)
    operator = fields.String(required=True)
    group = fields.String(required=True, allow_none=True)
    retries = fields.Integer(required=True, validate=validate.Range(min=0))
    retry_delay = Number(required=True)
    trigger_rule = fields.String(required=True, validate=validate.OneOf(TRIGGER_RULES))
    execution_timeout = Number(required=True, allow_none=True)
    owner = fields.String(required=True)
    doc_md = fields.String(required=True, allow_none=True)
    template_fields = fields.List(fields.String(), required=True)
    template_values = fields.Dict(
        keys=fields.String(), values=fields.Raw(allow_none=True), required=True
    )
    ui_color = fields.String(required=True)
    ui_fgcolor = fields.String(required=True)
    # Added after format 1 was first written: optional, so older stored documents still load.
    display_name = fields.String(allow_none=True)
    depends_on_past = fields.Boolean()
    wait_for_downstream = fields.Boolean()
    priority_weight = fields.Integer()
    weight_rule = fields.String(validate=validate.OneOf(WEIGHT_RULES))
    pool = fields.String(validate=validate.Length(1, 256))
    pool_slots = fields.Integer(validate=validate.Range(min=1))
    queue = fields.String(allow_none=True, validate=validate.Length(1, 256))  # None: default
    executor_config = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True))
    do_xcom_push = fields.Boolean()
    multiple_outputs = fields.Boolean()
    retry_exponential_backoff = fields.Boolean()
    max_retry_delay = Number(allow_none=True)
    is_setup = fields.Boolean()
    is_teardown = fields.Boolean()
    on_failure_fail_dagrun = fields.Boolean()
    inlets = fields.List(fields.Raw(validate=check_reference))  # asset references
    outlets = fields.List(fields.Raw(validate=check_reference))
    expand = fields.Nested(ExpandSchema)  # only on mapped tasks
    mapped_group = fields.String()  # only on the tasks of a mapped task group: its id


class TaskGroupSchema(_Strict):
    group_id = fields.String(required=True)
    label = fields.String(required=True)
    parent = fields.String(required=True, allow_none=True)
    tooltip = fields.String(required=True, allow_none=True)
    ui_color = fields.String(required=True)
    ui_fgcolor = fields.String(required=True)


class DagDocumentSchema(_Strict):
    format = fields.Integer(required=True, validate=validate.Equal(FORMAT))
    dag_id = fields.String(required=True, validate=validate.Length(1, 250))
    description = fields.String(required=True, allow_none=True)
    doc_md = fields.String(required=True, allow_none=True)
    schedule = _Remembered(ScheduleSchema, required=True)
    timezone = fields.String(required=True)
    start_date = fields.String(required=True, allow_none=True)
    end_date = fields.String(required=True, allow_none=True)
    catchup = fields.Boolean(required=True)
    max_active_runs = fields.Integer(required=True, validate=validate.Range(min=1))
    max_active_tasks = fields.Integer(required=True, validate=validate.Range(min=1))
    owners = fields.List(fields.String(), required=True)
    tags = fields.List(fields.String(validate=validate.Length(1, 100)), required=True)
    params = fields.Dict(keys=fields.String(), values=_Remembered(ParamSchema), required=True)
    default_args = fields.Dict(
        keys=fields.String(), values=fields.Raw(allow_none=True), required=True
    )
    tasks = fields.List(_Remembered(TaskSchema), required=True)
    task_groups = fields.List(_Remembered(TaskGroupSchema), required=True)
    edges = _StringRows(2, required=True)
    # {"role or team": ["can_edit", "can_read"]}; absent when the DAG declares none
    access_control = fields.Dict(
        keys=fields.String(validate=validate.Length(1, 100)),
        values=fields.List(fields.String(validate=validate.OneOf(PERMISSIONS))),
    )
    # Added after format 1 was first written: optional, so older stored documents still load.
    display_name = fields.String(allow_none=True)
    dagrun_timeout = Number(allow_none=True)
    is_paused_upon_creation = fields.Boolean(allow_none=True)
    edge_labels = _StringRows(3)  # [upstream, downstream, label]
    asset_condition = fields.Raw(validate=check_condition)  # see serialization.assets

    @validates_schema
    def _references(self, data: dict[str, Any], **_: Any) -> None:
        """Edges and group memberships must name tasks and groups that exist."""
        task_ids = {t["task_id"] for t in data["tasks"]}
        group_ids = {g["group_id"] for g in data["task_groups"]}
        if len(task_ids) != len(data["tasks"]):
            raise ValidationError("duplicate task_id", "tasks")
        for up, down in data["edges"]:
            if up not in task_ids or down not in task_ids:
                raise ValidationError(f"edge {up!r} -> {down!r} names an unknown task", "edges")
        edges = {(up, down) for up, down in data["edges"]}
        for up, down, _label in data.get("edge_labels", []):
            if (up, down) not in edges:
                raise ValidationError(f"label on {up!r} -> {down!r}: no such edge", "edge_labels")
        for task in data["tasks"]:
            for source in xcom_sources_of(task):
                if source["task_id"] not in task_ids:
                    raise ValidationError(
                        f"task {task['task_id']!r} maps over unknown task {source['task_id']!r}",
                        "tasks",
                    )
            if task["group"] is not None and task["group"] not in group_ids:
                raise ValidationError(f"task {task['task_id']!r} names an unknown group", "tasks")
        for group in data["task_groups"]:
            if group["parent"] is not None and group["parent"] not in group_ids:
                raise ValidationError(
                    f"group {group['group_id']!r} names an unknown parent", "task_groups"
                )

"""DAGs: the list, one DAG, its details, tasks, source and versions."""

from __future__ import annotations

from marshmallow import fields

from dagkeeper.api.schemas.common import (
    MAX_INT32,
    PageQuery,
    Strict,
    json_bool,
    nullable,
    order_by,
    query_int,
)  # fmt: skip
from dagkeeper.models.queries import DAG_ORDERINGS

R = {"required": True}


class DagListQuery(PageQuery):
    search = fields.String(metadata={"description": "substring of dag_id or description"})
    tags = fields.List(fields.String(), metadata={"description": "any of these tags"})
    paused = fields.Boolean()
    only_active = fields.Boolean(load_default=True)
    has_import_errors = fields.Boolean()
    order_by = order_by(tuple(DAG_ORDERINGS), "dag_id")


class DagPatch(Strict):
    is_paused = json_bool(**R)


class VersionQuery(Strict):
    version = query_int(1, MAX_INT32)


class ScheduleSchema(Strict):
    kind = fields.String(**R)
    expression = nullable(fields.String)
    summary = nullable(fields.String)


class RunBrief(Strict):
    run_id = fields.String(**R)
    state = fields.String(**R)
    logical_date = fields.DateTime(**R)


class DagSchema(Strict):
    dag_id = fields.String(**R)
    description = nullable(fields.String)
    owners = fields.List(fields.String(), **R)
    tags = fields.List(fields.String(), **R)
    schedule = fields.Nested(ScheduleSchema, **R)
    is_paused = fields.Boolean(**R)
    is_active = fields.Boolean(**R)
    fileloc = fields.String(**R)
    next_dagrun = nullable(fields.DateTime)
    next_dagrun_data_interval_start = nullable(fields.DateTime)
    next_dagrun_data_interval_end = nullable(fields.DateTime)
    next_dagrun_create_after = nullable(fields.DateTime)
    latest_run = nullable(fields.Nested, RunBrief)
    recent_runs = fields.List(
        fields.Nested(RunBrief), **R, metadata={"description": "last 10 runs, oldest first"}
    )
    version_number = fields.Integer(**R)
    has_import_errors = fields.Boolean(**R)
    max_active_runs = fields.Integer(**R)
    can_edit = fields.Boolean(
        **R,
        metadata={"description": "the caller may trigger, pause, clear, mark and annotate it"},
    )


class DagCollection(Strict):
    dags = fields.List(fields.Nested(DagSchema), **R)
    total_entries = fields.Integer(**R)


class ParamSchema(Strict):
    """A DAG param; the keywords from ``description_md`` on are present only when set."""

    default = fields.Raw(**R, allow_none=True)
    type = fields.Raw(
        **R, allow_none=True,
        metadata={
            "description": 'a JSON-schema type name or a list of them (["null", "string"])',
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        },
    )  # fmt: skip
    description = nullable(fields.String)
    title = nullable(fields.String)
    enum = nullable(fields.List, fields.Raw(allow_none=True))
    minimum = nullable(fields.Float)
    maximum = nullable(fields.Float)
    required = fields.Boolean(**R)
    position = fields.Integer(**R)
    description_md = fields.String(metadata={"description": "Markdown shown with the field"})
    examples = fields.List(fields.Raw(allow_none=True), metadata={"description": "suggestions"})
    values_display = fields.Dict(
        keys=fields.String(), values=fields.String(), metadata={"description": "enum labels"}
    )
    format = fields.String(metadata={"description": "date, date-time, time, email, multiline"})


class DagDetailsSchema(DagSchema):
    doc_md = nullable(fields.String)
    params = fields.Dict(keys=fields.String(), values=fields.Nested(ParamSchema), **R)
    start_date = nullable(fields.DateTime)
    end_date = nullable(fields.DateTime)
    catchup = fields.Boolean(**R)
    max_active_tasks = fields.Integer(**R)
    timezone = fields.String(**R)
    default_args = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), **R)
    task_count = fields.Integer(**R)
    hash = fields.String(**R)
    last_parsed_at = nullable(fields.DateTime)
    display_name = nullable(fields.String, metadata={"description": "dag_display_name"})
    dagrun_timeout = nullable(fields.Float, metadata={"description": "seconds"})


class TaskSchema(Strict):
    task_id = fields.String(**R)
    label = fields.String(**R)
    operator = fields.String(**R)
    group = nullable(fields.String)
    retries = fields.Integer(**R)
    retry_delay = fields.Float(**R, metadata={"description": "seconds"})
    trigger_rule = fields.String(**R)
    execution_timeout = nullable(fields.Float, metadata={"description": "seconds"})
    owner = fields.String(**R)
    doc_md = nullable(fields.String)
    template_fields = fields.List(fields.String(), **R)
    ui_color = fields.String(**R)
    ui_fgcolor = fields.String(**R)
    display_name = nullable(fields.String, metadata={"description": "task_display_name"})
    priority_weight = fields.Integer(**R)
    weight_rule = fields.String(**R)
    pool = fields.String(**R)
    pool_slots = fields.Integer(**R)
    queue = nullable(fields.String)
    depends_on_past = fields.Boolean(**R)
    wait_for_downstream = fields.Boolean(**R)
    is_setup = fields.Boolean(**R)
    is_teardown = fields.Boolean(**R)
    upstream_task_ids = fields.List(fields.String(), **R)
    downstream_task_ids = fields.List(fields.String(), **R)


class TaskCollection(Strict):
    tasks = fields.List(fields.Nested(TaskSchema), **R)
    total_entries = fields.Integer(**R)


class SourceSchema(Strict):
    dag_id = fields.String(**R)
    version_number = fields.Integer(**R)
    fileloc = fields.String(**R)
    source_hash = fields.String(**R)
    source = fields.String(**R)


class VersionSchema(Strict):
    version_number = fields.Integer(**R)
    hash = fields.String(**R)
    created_at = fields.DateTime(**R)
    task_count = fields.Integer(**R)
    revision = nullable(
        fields.String,
        metadata={"description": "the DAG folder's symlink target the version was read from"},
    )
    git_commit = nullable(
        fields.String, metadata={"description": "the git commit checked out in that folder"}
    )


class VersionCollection(Strict):
    versions = fields.List(fields.Nested(VersionSchema), **R)
    total_entries = fields.Integer(**R)


class VersionDetailSchema(VersionSchema):
    document = fields.Dict(**R, metadata={"description": "the stored canonical DAG document"})

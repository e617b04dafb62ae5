"""Workers: the hosts that run tries for the Celery executor."""

from marshmallow import fields, validate

from dagkeeper.api.schemas.common import Strict, nullable

R = {"required": True}
WORKER_STATES = ("alive", "lost", "stopped")


class RunningTrySchema(Strict):
    dag_id = fields.String(**R)
    run_id = fields.String(**R)
    task_id = fields.String(**R)
    try_number = fields.Integer(**R)
    start_date = nullable(fields.DateTime)


class WorkerSchema(Strict):
    hostname = fields.String(**R)
    state = fields.String(
        **R, validate=validate.OneOf(WORKER_STATES),
        metadata={"description": "lost: no heartbeat for three intervals, and not stopped"},
    )  # fmt: skip
    queues = fields.List(fields.String(), **R)
    concurrency = fields.Integer(**R)
    pid = fields.Integer(**R)
    started_at = fields.DateTime(**R)
    last_heartbeat_at = fields.DateTime(**R)
    stopped_at = nullable(fields.DateTime)
    running = fields.List(fields.Nested(RunningTrySchema), **R)


class WorkerCollection(Strict):
    workers = fields.List(fields.Nested(WorkerSchema), **R)
    total_entries = fields.Integer(**R)

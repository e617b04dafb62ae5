"""workers, task queues, and the runner lease on task instances

Revision ID: 0015a
Revises: 0016b
"""

import sqlalchemy as sa
from alembic import op

import dagkeeper.models.base

revision = "0015a"
down_revision = "0016b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker",
        sa.Column("hostname", sa.String(length=250), nullable=False),
        sa.Column("queues", sa.Text(), nullable=False),
        sa.Column("concurrency", sa.Integer(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column(
            "last_heartbeat_at", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("stopped_at", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("hostname", name=op.f("pk_worker")),
    )
    for table in ("task_instance", "task_instance_history"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("queue", sa.String(length=256), nullable=True))
    # Before this revision the heartbeat stayed set after a try ended; now it marks a live runner.
    op.execute(
        "UPDATE task_instance SET last_heartbeat_at = NULL "
        "WHERE state IS NULL OR state <> 'running'"
    )
    with op.batch_alter_table("task_instance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_task_instance_last_heartbeat_at"), ["last_heartbeat_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("task_instance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_instance_last_heartbeat_at"))
    for table in ("task_instance_history", "task_instance"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("queue")
    op.drop_table("worker")

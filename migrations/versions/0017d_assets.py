"""assets: registered assets and aliases, their events, who consumes and produces them

Revision ID: 0017d
Revises: 0017b
"""

import sqlalchemy as sa
from alembic import op

import dagkeeper.models.base

revision = "0017d"
down_revision = "0017b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(length=1500), nullable=False),
        sa.Column("name", sa.String(length=1500), nullable=False),
        sa.Column("group", sa.String(length=1500), nullable=False),
        sa.Column("extra", sa.Text(), nullable=False),
        sa.Column("created_at", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset")),
        sa.UniqueConstraint("uri", name=op.f("uq_asset_uri")),
    )
    op.create_table(
        "asset_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=1500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_alias")),
        sa.UniqueConstraint("name", name=op.f("uq_asset_alias_name")),
    )
    op.create_table(
        "asset_alias_asset",
        sa.Column("alias_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alias_id"],
            ["asset_alias.id"],
            name=op.f("fk_asset_alias_asset_alias_id_asset_alias"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["asset.id"],
            name=op.f("fk_asset_alias_asset_asset_id_asset"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("alias_id", "asset_id", name=op.f("pk_asset_alias_asset")),
    )
    with op.batch_alter_table("asset_alias_asset", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_asset_alias_asset_asset_id"), ["asset_id"], unique=False
        )

    op.create_table(
        "asset_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("extra", sa.Text(), nullable=False),
        sa.Column("source_dag_id", sa.String(length=250), nullable=True),
        sa.Column("source_run_id", sa.String(length=250), nullable=True),
        sa.Column("source_task_id", sa.String(length=250), nullable=True),
        sa.Column("source_map_index", sa.Integer(), nullable=False),
        sa.Column("source_alias", sa.String(length=1500), nullable=True),
        sa.Column("created_by", sa.String(length=250), nullable=True),
        sa.Column("timestamp", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["asset.id"],
            name=op.f("fk_asset_event_asset_id_asset"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_event")),
    )
    with op.batch_alter_table("asset_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_asset_event_asset_id_timestamp", ["asset_id", "timestamp"], unique=False
        )

    op.create_table(
        "dag_alias_reference",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("alias_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.ForeignKeyConstraint(
            ["alias_id"],
            ["asset_alias.id"],
            name=op.f("fk_dag_alias_reference_alias_id_asset_alias"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dag_id"],
            ["dag.dag_id"],
            name=op.f("fk_dag_alias_reference_dag_id_dag"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "dag_id", "alias_id", "role", "task_id", name=op.f("pk_dag_alias_reference")
        ),
    )
    with op.batch_alter_table("dag_alias_reference", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dag_alias_reference_alias_id"), ["alias_id"], unique=False
        )

    op.create_table(
        "dag_asset_reference",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["asset.id"],
            name=op.f("fk_dag_asset_reference_asset_id_asset"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dag_id"],
            ["dag.dag_id"],
            name=op.f("fk_dag_asset_reference_dag_id_dag"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "dag_id", "asset_id", "role", "task_id", name=op.f("pk_dag_asset_reference")
        ),
    )
    with op.batch_alter_table("dag_asset_reference", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dag_asset_reference_asset_id"), ["asset_id"], unique=False
        )

    op.create_table(
        "asset_event_queue",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_id"],
            ["dag.dag_id"],
            name=op.f("fk_asset_event_queue_dag_id_dag"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["asset_event.id"],
            name=op.f("fk_asset_event_queue_event_id_asset_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dag_id", "event_id", name=op.f("pk_asset_event_queue")),
    )
    with op.batch_alter_table("asset_event_queue", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_asset_event_queue_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "dag_run_asset_event",
        sa.Column("dag_run_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_run_id"],
            ["dag_run.id"],
            name=op.f("fk_dag_run_asset_event_dag_run_id_dag_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["asset_event.id"],
            name=op.f("fk_dag_run_asset_event_event_id_asset_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dag_run_id", "event_id", name=op.f("pk_dag_run_asset_event")),
    )
    with op.batch_alter_table("dag_run_asset_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dag_run_asset_event_event_id"), ["event_id"], unique=False
        )


def downgrade() -> None:
    for table in (
        "dag_run_asset_event", "asset_event_queue", "dag_asset_reference", "dag_alias_reference",
        "asset_event", "asset_alias_asset", "asset_alias", "asset",
    ):  # fmt: skip
        op.drop_table(table)

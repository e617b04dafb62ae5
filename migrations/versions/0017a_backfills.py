"""backfills: the backfill table and dag_run.backfill_id

Revision ID: 0017a
Revises: 0013b
"""

import sqlalchemy as sa
from alembic import op

import dagkeeper.models.base

revision = "0017a"
down_revision = "0013b"
branch_labels = None
depends_on = None

UTC = dagkeeper.models.base.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "backfill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("from_date", UTC(timezone=True), nullable=False),
        sa.Column("to_date", UTC(timezone=True), nullable=False),
        sa.Column("dag_run_conf", sa.Text(), nullable=False),
        sa.Column("reprocess_behavior", sa.String(length=20), nullable=False),
        sa.Column("max_active_runs", sa.Integer(), nullable=False),
        sa.Column("run_backwards", sa.Boolean(), nullable=False),
        sa.Column("is_paused", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=250), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("completed_at", UTC(timezone=True), nullable=True),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_id"], ["dag.dag_id"], name=op.f("fk_backfill_dag_id_dag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backfill")),
    )
    op.create_index(op.f("ix_backfill_dag_id"), "backfill", ["dag_id", "completed_at"])
    with op.batch_alter_table("dag_run") as batch:
        batch.add_column(sa.Column("backfill_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_dag_run_backfill_id_backfill", "backfill", ["backfill_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip
        batch.create_index("ix_dag_run_backfill_id", ["backfill_id"])


def downgrade() -> None:
    with op.batch_alter_table("dag_run") as batch:
        batch.drop_index("ix_dag_run_backfill_id")
        batch.drop_constraint("fk_dag_run_backfill_id_backfill", type_="foreignkey")
        batch.drop_column("backfill_id")
    op.drop_index("ix_backfill_dag_id", table_name="backfill")
    op.drop_table("backfill")

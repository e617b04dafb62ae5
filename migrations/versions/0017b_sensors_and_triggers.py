"""sensors and deferral: reschedule and resume fields on task_instance, the trigger table

Revision ID: 0017b
Revises: 0017a
"""

import sqlalchemy as sa
from alembic import op

import dagkeeper.models.base

revision = "0017b"
down_revision = "0017a"
branch_labels = None
depends_on = None

UTC = dagkeeper.models.base.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "trigger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("args", sa.Text(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("triggerer_id", sa.String(length=300), nullable=True),
        sa.Column("lease_until", UTC(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trigger")),
    )
    op.create_index(op.f("ix_trigger_lease_until"), "trigger", ["lease_until"])
    with op.batch_alter_table("task_instance") as batch:
        batch.add_column(
            sa.Column("continues_try", sa.Boolean(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("next_poke_at", UTC(timezone=True), nullable=True))
        batch.add_column(sa.Column("first_poke_at", UTC(timezone=True), nullable=True))
        batch.add_column(sa.Column("poke_count", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("trigger_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("next_method", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("next_kwargs", sa.Text(), nullable=True))
        batch.create_index(batch.f("ix_task_instance_trigger_id"), ["trigger_id"])
        batch.create_foreign_key(
            batch.f("fk_task_instance_trigger_id_trigger"), "trigger", ["trigger_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("task_instance") as batch:
        batch.drop_constraint(batch.f("fk_task_instance_trigger_id_trigger"), type_="foreignkey")
        batch.drop_index(batch.f("ix_task_instance_trigger_id"))
        for column in ("next_kwargs", "next_method", "trigger_id", "poke_count", "first_poke_at",
                       "next_poke_at", "continues_try"):  # fmt: skip
            batch.drop_column(column)
    op.drop_index(op.f("ix_trigger_lease_until"), table_name="trigger")
    op.drop_table("trigger")

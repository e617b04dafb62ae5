"""variables, connections (secrets encrypted at rest), slot pools, parse-time variable reads

Revision ID: 0016b
Revises: 0016a
Create Date: 2026-11-29 22:48:20.360258
"""

import sqlalchemy as sa
from alembic import op

import dagkeeper.models.base
from dagkeeper.config import load_settings

revision = "0016b"
down_revision = "0016a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "connection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conn_id", sa.String(length=250), nullable=False),
        sa.Column("conn_type", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("host", sa.String(length=500), nullable=True),
        sa.Column("schema", sa.String(length=500), nullable=True),
        sa.Column("login", sa.Text(), nullable=True),
        sa.Column("password", sa.Text(), nullable=True),  # Fernet token
        sa.Column("port", sa.Integer(), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),  # Fernet token
        sa.Column("updated_at", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection")),
        sa.UniqueConstraint("conn_id", name=op.f("uq_connection_conn_id")),
    )
    op.create_table(
        "parse_variable_read",
        sa.Column("fileloc", sa.String(length=1000), nullable=False),
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.PrimaryKeyConstraint("fileloc", "key", name=op.f("pk_parse_variable_read")),
    )
    with op.batch_alter_table("parse_variable_read", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parse_variable_read_key"), ["key"], unique=False)
    pools = op.create_table(
        "slot_pool",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool", sa.String(length=256), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot_pool")),
        sa.UniqueConstraint("pool", name=op.f("uq_slot_pool_pool")),
    )
    op.bulk_insert(
        pools,
        [
            {
                "pool": "default_pool",
                "slots": load_settings().default_pool_slots,
                "description": "Default pool",
            }
        ],
    )
    op.create_table(
        "variable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),  # Fernet token
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("updated_at", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_variable")),
        sa.UniqueConstraint("key", name=op.f("uq_variable_key")),
    )
    with op.batch_alter_table("task_instance", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "pool", sa.String(length=256), nullable=False, server_default="default_pool"
            )
        )
        batch_op.add_column(
            sa.Column("pool_slots", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade() -> None:
    with op.batch_alter_table("task_instance", schema=None) as batch_op:
        batch_op.drop_column("pool_slots")
        batch_op.drop_column("pool")
    op.drop_table("variable")
    op.drop_table("slot_pool")
    with op.batch_alter_table("parse_variable_read", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parse_variable_read_key"))
    op.drop_table("parse_variable_read")
    op.drop_table("connection")

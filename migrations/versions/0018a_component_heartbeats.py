"""component heartbeats and parse requests

Revision ID: 0018a
Revises: 0015a
"""

import sqlalchemy as sa
from alembic import op

import dagkeeper.models.base

revision = "0018a"
down_revision = "0015a"
branch_labels = None
depends_on = None

UTC = dagkeeper.models.base.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "component_heartbeat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("hostname", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", UTC(timezone=True), nullable=False),
        sa.Column("last_heartbeat", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_component_heartbeat")),
        sa.UniqueConstraint(
            "kind", "hostname", "pid", "started_at",
            name=op.f("uq_component_heartbeat_kind_hostname_pid_started_at"),
        ),  # fmt: skip
    )
    op.create_table(
        "parse_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fileloc", sa.String(length=1000), nullable=False),
        sa.Column("requested_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parse_request")),
        sa.UniqueConstraint("fileloc", name=op.f("uq_parse_request_fileloc")),
    )


def downgrade() -> None:
    op.drop_table("parse_request")
    op.drop_table("component_heartbeat")

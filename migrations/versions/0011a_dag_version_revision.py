"""dag_version records the DAG folder revision (symlink target, git commit)

Revision ID: 0011a
Revises: 0012a
Create Date: 2026-11-29 23:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0011a"
down_revision = "0012a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dag_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("git_commit", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dag_version", schema=None) as batch_op:
        batch_op.drop_column("git_commit")
        batch_op.drop_column("revision")

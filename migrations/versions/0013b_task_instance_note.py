"""task instance notes (dag_run.note exists since the initial schema)

Revision ID: 0013b
Revises: 0018a
"""

import sqlalchemy as sa
from alembic import op

revision = "0013b"
down_revision = "0018a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("task_instance") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("task_instance") as batch:
        batch.drop_column("note")

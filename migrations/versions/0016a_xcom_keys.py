"""xcom keys: a task instance publishes several XComs, one per key

Revision ID: 0016a
Revises: 0013a
"""

import sqlalchemy as sa
from alembic import op

revision = "0016a"
down_revision = "0013a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("xcom", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("key", sa.String(length=250), nullable=False, server_default="return_value")
        )
        batch_op.drop_constraint("pk_xcom", type_="primary")
        batch_op.create_primary_key("pk_xcom", ["task_instance_id", "key"])
    with op.batch_alter_table("xcom", schema=None) as batch_op:
        batch_op.alter_column("key", server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM xcom WHERE key <> 'return_value'")
    with op.batch_alter_table("xcom", schema=None) as batch_op:
        batch_op.drop_constraint("pk_xcom", type_="primary")
        batch_op.create_primary_key("pk_xcom", ["task_instance_id"])
        batch_op.drop_column("key")

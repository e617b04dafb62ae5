"""dag_version stores what publication derives: task_order and relations

Revision ID: 0012a
Revises: 0001
Create Date: 2026-11-29 23:00:00

Existing versions are backfilled from their documents, so readers never find
a version without its derived data.
"""

import sqlalchemy as sa
from alembic import op

from dagkeeper.serialization import derive, loads

revision = "0012a"
down_revision = "0001"
branch_labels = None
depends_on = None

_VERSION = sa.table(
    "dag_version",
    sa.column("id", sa.Integer),
    sa.column("document", sa.Text),
    sa.column("task_order", sa.Text),
    sa.column("relations", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("dag_version") as batch:
        batch.add_column(sa.Column("task_order", sa.Text(), nullable=True))
        batch.add_column(sa.Column("relations", sa.Text(), nullable=True))
    connection = op.get_bind()
    for version_id, document in connection.execute(
        sa.select(_VERSION.c.id, _VERSION.c.document)
    ).all():
        derived = derive(loads(document, validate=False))
        connection.execute(
            _VERSION.update()
            .where(_VERSION.c.id == version_id)
            .values(task_order=derived.task_order.decode(), relations=derived.relations.decode())
        )
    with op.batch_alter_table("dag_version") as batch:
        batch.alter_column("task_order", existing_type=sa.Text(), nullable=False)
        batch.alter_column("relations", existing_type=sa.Text(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("dag_version") as batch:
        batch.drop_column("relations")
        batch.drop_column("task_order")

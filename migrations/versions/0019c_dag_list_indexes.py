"""dag: indexes in the DAG list's orders, so a page of 10,000 DAGs is not a sort of all

``(is_active, dag_id)`` for the default order and ``(is_active, next_dagrun DESC,
dag_id)`` for ``-next_dagrun`` (issue 19, docs/PROFILE.md).

Revision ID: 0019c
Revises: 0017c
"""

import sqlalchemy as sa
from alembic import op

revision = "0019c"
down_revision = "0017c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_dag_active_dag_id", "dag", ["is_active", "dag_id"])
    # the list orders "-next_dagrun" NULLS LAST: SQLite's descending index already puts
    # NULLs last (and accepts no NULLS clause); PostgreSQL's puts them first unless told
    postgresql = op.get_bind().dialect.name == "postgresql"
    next_dagrun = "next_dagrun DESC" + (" NULLS LAST" if postgresql else "")
    op.create_index(
        "ix_dag_active_next_dagrun", "dag", ["is_active", sa.text(next_dagrun), "dag_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_dag_active_next_dagrun", table_name="dag")
    op.drop_index("ix_dag_active_dag_id", table_name="dag")

"""task_instance.map_index: one task instance per element of a mapped task

-1 for an unmapped task (and for a mapped task not yet expanded), as in
Airflow; the unique key becomes (run, task, map_index).

Revision ID: 0017c
Revises: 0017d
"""

import sqlalchemy as sa
from alembic import op

revision = "0017c"
down_revision = "0017d"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("task_instance", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("map_index", sa.Integer(), nullable=False, server_default="-1")
        )
        batch_op.drop_constraint("uq_task_instance_dag_run_id_task_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_task_instance_dag_run_id_task_id_map_index", ["dag_run_id", "task_id", "map_index"]
        )
        batch_op.drop_index("ix_task_instance_grid")
        batch_op.create_index(
            "ix_task_instance_grid", ["dag_run_id", "task_id", "state", "map_index"], unique=False
        )


def downgrade() -> None:
    # Only the first element of each mapped task fits the old key: the others go.
    op.execute("DELETE FROM task_instance WHERE map_index > 0")
    with op.batch_alter_table("task_instance", schema=None) as batch_op:
        batch_op.drop_index("ix_task_instance_grid")
        batch_op.create_index(
            "ix_task_instance_grid", ["dag_run_id", "task_id", "state"], unique=False
        )
        batch_op.drop_constraint("uq_task_instance_dag_run_id_task_id_map_index", type_="unique")
        batch_op.create_unique_constraint(
            "uq_task_instance_dag_run_id_task_id", ["dag_run_id", "task_id"]
        )
        batch_op.drop_column("map_index")

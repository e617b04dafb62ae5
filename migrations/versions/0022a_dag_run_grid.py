"""dag_run_grid: a run's grid cells stored beside it on SQLite, staled by triggers

An uncached grid of 2,000 tasks x 25 runs spent half its time in SQLite's
``group_concat`` over 50,000 task instances, though finished runs never
change (issue 19, docs/PROFILE.md). Each run now has a row holding its last
concatenation (``models/run_grid.py``). Triggers make any write that changes
a run's cells advance the row's ``generation``, whoever makes it (scheduler,
runner, API, CLI, an operator's SQL), so a stored concatenation is used only
while it is current. PostgreSQL gets the table but no triggers and no rows:
its ``string_agg`` meets the target, and a per-run row updated after each
task instance's row would add a lock two writers of one run could take in
opposite orders (SQLite has one write lock, so it cannot deadlock there).

Revision ID: 0022a
Revises: 0021a
"""

import sqlalchemy as sa
from alembic import op

revision = "0022a"
down_revision = "0021a"
branch_labels = None
depends_on = None

# Dropping the stale cells keeps the row small: each later write rewrites a few bytes,
# not the ~60 KB of a 2,000-task run's ids and states. "= run", not "IN (old, new)":
# SQLite's IN list made each task-instance update 3.6x slower, "=" 1.35x.
ADVANCE = (
    "UPDATE dag_run_grid SET generation = generation + 1, built = NULL, task_ids = NULL,"
    " states = NULL, top_map_index = NULL WHERE dag_run_id = {run};"
)
TRIGGERS = {
    "trg_dag_run_insert_grid_row": (
        "AFTER INSERT ON dag_run",
        "INSERT INTO dag_run_grid (dag_run_id, generation) VALUES (NEW.id, 0);",
    ),
    "trg_task_instance_insert_grid_stale": (
        "AFTER INSERT ON task_instance",
        ADVANCE.format(run="NEW.dag_run_id"),
    ),
    "trg_task_instance_delete_grid_stale": (
        "AFTER DELETE ON task_instance",
        ADVANCE.format(run="OLD.dag_run_id"),
    ),
    "trg_task_instance_update_grid_stale": (
        "AFTER UPDATE OF state, task_id, map_index, dag_run_id ON task_instance",
        ADVANCE.format(run="NEW.dag_run_id")
        + ADVANCE.format(run="OLD.dag_run_id AND OLD.dag_run_id IS NOT NEW.dag_run_id"),
    ),
}


def upgrade() -> None:
    op.create_table(
        "dag_run_grid",
        sa.Column("dag_run_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("built", sa.BigInteger(), nullable=True),
        sa.Column("task_ids", sa.Text(), nullable=True),
        sa.Column("states", sa.Text(), nullable=True),
        sa.Column("top_map_index", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["dag_run_id"], ["dag_run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("dag_run_id"),
    )
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("INSERT INTO dag_run_grid (dag_run_id, generation) SELECT id, 0 FROM dag_run")
    for name, (event, body) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {event} BEGIN {body} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("dag_run_grid")

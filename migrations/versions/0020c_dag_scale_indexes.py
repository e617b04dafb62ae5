"""dag: trigram indexes for the list's search, indexes for its owner order and tag filter

At 100,000 DAGs the search (``dag_id ILIKE '%x%' OR description ILIKE '%x%'``)
and the owner order read every row, and the tag filter's count fetched every
tagged row from the table; these let PostgreSQL read a page, and count a tag
from an index alone (issue 19, bench/scale.py). The trigram indexes need ``pg_trgm``, a
trusted extension: a database owner may create it. SQLite gets only the owner
index; its search scans the table.

Revision ID: 0020c
Revises: 0019c
"""

from alembic import op

revision = "0020c"
down_revision = "0019c"
branch_labels = None
depends_on = None

TRIGRAM_COLUMNS = ("dag_id", "description")


def upgrade() -> None:
    op.create_index("ix_dag_active_owners", "dag", ["is_active", "owners", "dag_id"])
    op.create_index("ix_dag_tag_name_dag_id", "dag_tag", ["name", "dag_id"])
    op.drop_index("ix_dag_tag_name", table_name="dag_tag")
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in TRIGRAM_COLUMNS:
        op.create_index(
            f"ix_dag_{column}_trgm", "dag", [column],
            postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"},
        )  # fmt: skip


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in TRIGRAM_COLUMNS:
            op.drop_index(f"ix_dag_{column}_trgm", table_name="dag")
    op.create_index("ix_dag_tag_name", "dag_tag", ["name"])
    op.drop_index("ix_dag_tag_name_dag_id", table_name="dag_tag")
    op.drop_index("ix_dag_active_owners", table_name="dag")

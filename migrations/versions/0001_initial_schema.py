"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 08:00:33.015853
"""

import sqlalchemy as sa
from alembic import op

import dagkeeper.models.base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("pruned_through", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_counter")),
    )
    op.bulk_insert(
        sa.table(
            "change_counter",
            sa.column("id", sa.Integer),
            sa.column("value", sa.BigInteger),
            sa.column("pruned_through", sa.BigInteger),
        ),
        [{"id": 1, "value": 0, "pruned_through": 0}],
    )
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_seq"), ["seq"], unique=False)

    op.create_table(
        "dag",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("fileloc", sa.String(length=1000), nullable=False),
        sa.Column("owners", sa.String(length=500), nullable=False),
        sa.Column("is_paused", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("has_import_errors", sa.Boolean(), nullable=False),
        sa.Column("schedule_kind", sa.String(length=20), nullable=False),
        sa.Column("schedule_expression", sa.String(length=100), nullable=True),
        sa.Column("schedule_summary", sa.String(length=250), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column(
            "start_date",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("end_date", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("catchup", sa.Boolean(), nullable=False),
        sa.Column("max_active_runs", sa.Integer(), nullable=False),
        sa.Column("max_active_tasks", sa.Integer(), nullable=False),
        sa.Column(
            "next_dagrun",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "next_dagrun_data_interval_start",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "next_dagrun_data_interval_end",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "next_dagrun_create_after",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column(
            "last_parsed_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("dag_id", name=op.f("pk_dag")),
    )
    with op.batch_alter_table("dag", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dag_active_paused", ["is_active", "is_paused", "dag_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dag_fileloc"), ["fileloc"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dag_next_dagrun_create_after"),
            ["next_dagrun_create_after"],
            unique=False,
        )

    op.create_table(
        "dag_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fileloc", sa.String(length=1000), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dag_code")),
        sa.UniqueConstraint("fileloc", "source_hash", name=op.f("uq_dag_code_fileloc_source_hash")),
    )
    op.create_table(
        "dag_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "last_parsed_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("last_duration", sa.Float(), nullable=False),
        sa.Column("dag_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dag_file")),
        sa.UniqueConstraint("path", name=op.f("uq_dag_file_path")),
    )
    op.create_table(
        "import_error",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fileloc", sa.String(length=1000), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("stacktrace", sa.Text(), nullable=False),
        sa.Column(
            "timestamp",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_error")),
        sa.UniqueConstraint("fileloc", name=op.f("uq_import_error_fileloc")),
    )
    op.create_table(
        "dag_tag",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["dag_id"],
            ["dag.dag_id"],
            name=op.f("fk_dag_tag_dag_id_dag"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dag_id", "name", name=op.f("pk_dag_tag")),
    )
    with op.batch_alter_table("dag_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dag_tag_name"), ["name"], unique=False)

    op.create_table(
        "dag_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("structure", sa.Text(), nullable=False),
        sa.Column("task_count", sa.Integer(), nullable=False),
        sa.Column("dag_code_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["dag_code_id"],
            ["dag_code.id"],
            name=op.f("fk_dag_version_dag_code_id_dag_code"),
        ),
        sa.ForeignKeyConstraint(
            ["dag_id"],
            ["dag.dag_id"],
            name=op.f("fk_dag_version_dag_id_dag"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dag_version")),
        sa.UniqueConstraint(
            "dag_id",
            "version_number",
            name=op.f("uq_dag_version_dag_id_version_number"),
        ),
    )
    op.create_table(
        "dag_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=False),
        sa.Column("run_type", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column(
            "logical_date",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "data_interval_start",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "data_interval_end",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("conf", sa.Text(), nullable=False),
        sa.Column("dag_version_id", sa.Integer(), nullable=False),
        sa.Column(
            "queued_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "start_date",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("end_date", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "updated_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["dag_id"],
            ["dag.dag_id"],
            name=op.f("fk_dag_run_dag_id_dag"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dag_version_id"],
            ["dag_version.id"],
            name=op.f("fk_dag_run_dag_version_id_dag_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dag_run")),
        sa.UniqueConstraint("dag_id", "logical_date", name=op.f("uq_dag_run_dag_id_logical_date")),
        sa.UniqueConstraint("dag_id", "run_id", name=op.f("uq_dag_run_dag_id_run_id")),
    )
    with op.batch_alter_table("dag_run", schema=None) as batch_op:
        batch_op.create_index("ix_dag_run_state", ["state", "dag_id"], unique=False)

    op.create_table(
        "task_instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dag_run_id", sa.Integer(), nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("max_tries", sa.Integer(), nullable=False),
        sa.Column(
            "next_try_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "last_heartbeat_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "updated_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.Column("try_number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("operator", sa.String(length=100), nullable=True),
        sa.Column("queued_at", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "start_date",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("end_date", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("hostname", sa.String(length=250), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dag_run_id"],
            ["dag_run.id"],
            name=op.f("fk_task_instance_dag_run_id_dag_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_instance")),
        sa.UniqueConstraint(
            "dag_run_id", "task_id", name=op.f("uq_task_instance_dag_run_id_task_id")
        ),
    )
    with op.batch_alter_table("task_instance", schema=None) as batch_op:
        batch_op.create_index("ix_task_instance_state", ["state", "dag_id"], unique=False)
        batch_op.create_index(
            "ix_task_instance_grid", ["dag_run_id", "task_id", "state"], unique=False
        )

    op.create_table(
        "rendered_task_fields",
        sa.Column("task_instance_id", sa.Integer(), nullable=False),
        sa.Column("try_number", sa.Integer(), nullable=False),
        sa.Column("rendered", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["task_instance_id"],
            ["task_instance.id"],
            name=op.f("fk_rendered_task_fields_task_instance_id_task_instance"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "task_instance_id", "try_number", name=op.f("pk_rendered_task_fields")
        ),
    )
    op.create_table(
        "task_instance_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_instance_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.Column("try_number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("operator", sa.String(length=100), nullable=True),
        sa.Column("queued_at", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "start_date",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("end_date", dagkeeper.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("hostname", sa.String(length=250), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_instance_id"],
            ["task_instance.id"],
            name=op.f("fk_task_instance_history_task_instance_id_task_instance"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_instance_history")),
        sa.UniqueConstraint(
            "task_instance_id",
            "try_number",
            name=op.f("uq_task_instance_history_task_instance_id_try_number"),
        ),
    )
    op.create_table(
        "task_log",
        sa.Column("task_instance_id", sa.Integer(), nullable=False),
        sa.Column("try_number", sa.Integer(), nullable=False),
        sa.Column("offset", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["task_instance_id"],
            ["task_instance.id"],
            name=op.f("fk_task_log_task_instance_id_task_instance"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "task_instance_id", "try_number", "offset", name=op.f("pk_task_log")
        ),
    )

    op.create_table(
        "xcom",
        sa.Column("task_instance_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            dagkeeper.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["task_instance_id"],
            ["task_instance.id"],
            name=op.f("fk_xcom_task_instance_id_task_instance"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_instance_id", name=op.f("pk_xcom")),
    )


def downgrade() -> None:
    op.drop_table("xcom")
    op.drop_table("task_log")
    op.drop_table("task_instance_history")
    op.drop_table("rendered_task_fields")
    with op.batch_alter_table("task_instance", schema=None) as batch_op:
        batch_op.drop_index("ix_task_instance_grid")
        batch_op.drop_index("ix_task_instance_state")

    op.drop_table("task_instance")
    with op.batch_alter_table("dag_run", schema=None) as batch_op:
        batch_op.drop_index("ix_dag_run_state")

    op.drop_table("dag_run")
    op.drop_table("dag_version")
    with op.batch_alter_table("dag_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dag_tag_name"))

    op.drop_table("dag_tag")
    op.drop_table("import_error")
    op.drop_table("dag_file")
    op.drop_table("dag_code")
    with op.batch_alter_table("dag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dag_next_dagrun_create_after"))
        batch_op.drop_index(batch_op.f("ix_dag_fileloc"))
        batch_op.drop_index("ix_dag_active_paused")

    op.drop_table("dag")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_seq"))

    op.drop_table("change_log")
    op.drop_table("change_counter")

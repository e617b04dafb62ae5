"""Revision 0017c rebuilds ``task_instance`` on SQLite without losing rows that reference it."""

from alembic import command
from sqlalchemy import create_engine, text

from dagkeeper.migrate import alembic_config, migrate


def test_map_index_migration_keeps_xcoms_and_tries_of_existing_task_instances(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0013b")
    engine = create_engine(url)  # plain SQLite: foreign keys unchecked, so no run row is needed
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO task_instance (id, dag_run_id, dag_id, task_id, max_tries, "
                "try_number, pool, pool_slots, updated_at) "
                "VALUES (7, 1, 'd', 't', 1, 1, 'default_pool', 1, '2024-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO xcom (task_instance_id, key, value, created_at) "
                "VALUES (7, 'return_value', '42', '2024-01-01 00:00:00')"
            )  # fmt: skip
        )
    engine.dispose()
    migrate(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, task_id, map_index FROM task_instance")).all()
        xcoms = connection.execute(text("SELECT task_instance_id, value FROM xcom")).all()
    engine.dispose()
    assert (rows, xcoms) == ([(7, "t", -1)], [(7, "42")])

"""The Alembic migration builds exactly the schema the models declare, on both backends."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from dagkeeper.migrate import alembic_config, migrate, on_dialect
from dagkeeper.models import Base


def _differences(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            options = {"include_object": on_dialect(connection.dialect.name)}
            context = MigrationContext.configure(connection, opts=options)
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(db_url):
    assert _differences(db_url) == []


def test_migrate_is_idempotent_and_downgrade_removes_every_table(db_url):
    migrate(db_url)
    assert _differences(db_url) == []
    command.downgrade(alembic_config(db_url), "base")
    engine = create_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()

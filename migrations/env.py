"""Alembic environment: the URL comes from dagkeeper's settings (or the caller's config)."""

from alembic import context

from dagkeeper.config import load_settings
from dagkeeper.db import make_engine
from dagkeeper.migrate import on_dialect
from dagkeeper.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or load_settings().db_url


def run_migrations() -> None:
    engine = make_engine(url)
    engine = engine.execution_options(sqlite_immediate=True)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # SQLite's own procedure for table rebuilds (batch mode copies a table and drops
            # the old one): with foreign keys on, that drop would cascade-delete every row
            # referencing it. Set outside the transaction, where the pragma takes effect.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,  # SQLite ALTERs go through table copies
            compare_type=True,
            include_object=on_dialect(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.engine.dispose()


run_migrations()

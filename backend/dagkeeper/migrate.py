"""Database schema commands: migrate to head (idempotent) and reset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import command
from alembic.config import Config

from dagkeeper.config import REPO_ROOT, load_settings


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url or load_settings().db_url)
    return config


def migrate(url: str | None = None) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there."""
    url = url or load_settings().db_url
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")


def reset(url: str | None = None) -> None:
    """Drop everything and migrate again from an empty database."""
    command.downgrade(alembic_config(url), "base")
    migrate(url)


def on_dialect(dialect: str) -> Callable[..., bool]:
    """Alembic's ``include_object`` for a database of ``dialect``: leave out what the models
    create only on another dialect (``Index(...).ddl_if(dialect=...)``), so autogenerate does
    not tell SQLite it lacks PostgreSQL's trigram indexes. Alembic does not read ``ddl_if``."""

    def include(obj: Any, _name: str | None, _type: str, _reflected: bool, _compare: Any) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        return condition is None or condition.dialect in (None, dialect)

    return include

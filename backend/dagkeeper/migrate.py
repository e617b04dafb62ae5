"""Database schema commands: migrate to head (idempotent) and reset."""

from __future__ import annotations

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

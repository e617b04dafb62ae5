"""Configuration from environment variables, read once per process.

Everything that several processes must agree on (the database, the DAG folder,
the secret key) comes from here, never from a per-process random value
(DESIGN.md invariant 6).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _home() -> Path:
    return Path(os.environ.get("DAGKEEPER_HOME", REPO_ROOT / "var")).resolve()


@dataclass(frozen=True)
class Settings:
    home: Path
    db_url: str
    dags_folder: Path
    parse_timeout: float
    parse_workers: int
    parse_memory_limit_mb: int  # address-space cap of a parse child; 0 = none
    rescan_interval: float
    parallelism: int
    heartbeat_timeout: float
    secret_key: str
    db_pool_size: int
    fernet_key: str  # comma-separated; the first encrypts, any decrypts (key rotation)
    default_pool_slots: int  # slots of ``default_pool`` when the database is created


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def load_settings() -> Settings:
    """Read the environment; call again after changing it (tests do)."""
    home = _home()
    return Settings(
        home=home,
        db_url=os.environ.get("DAGKEEPER_DB_URL", f"sqlite:///{home / 'dagkeeper.db'}"),
        dags_folder=Path(
            os.environ.get("DAGKEEPER_DAGS_FOLDER", REPO_ROOT / "examples" / "dags")
        ).resolve(),
        parse_timeout=_float("DAGKEEPER_PARSE_TIMEOUT", 30.0),
        parse_workers=_int("DAGKEEPER_PARSE_WORKERS", max(2, os.cpu_count() or 2)),
        parse_memory_limit_mb=_int("DAGKEEPER_PARSE_MEMORY_LIMIT_MB", 2048),
        rescan_interval=_float("DAGKEEPER_RESCAN_INTERVAL", 30.0),
        parallelism=_int("DAGKEEPER_PARALLELISM", 16),
        heartbeat_timeout=_float("DAGKEEPER_HEARTBEAT_TIMEOUT", 30.0),
        secret_key=os.environ.get("DAGKEEPER_SECRET_KEY", "dagkeeper-dev-only-secret"),
        db_pool_size=_int("DAGKEEPER_DB_POOL_SIZE", 4),
        fernet_key=os.environ.get("DAGKEEPER_FERNET_KEY", ""),
        default_pool_slots=_int("DAGKEEPER_DEFAULT_POOL_SLOTS", 128),
    )

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
    executor: str  # local | celery
    celery_broker_url: str
    default_queue: str
    queue_slots: dict[str, int]  # queue -> most tries queued or running at once
    queued_resend_after: float  # re-send a try still unclaimed after this many seconds
    worker_heartbeat: float  # seconds between a worker's registry heartbeats
    celery_visibility_timeout: float  # Redis redelivers an unacknowledged message after this


EXECUTORS = ("local", "celery")


def _queue_slots(text: str) -> dict[str, int]:
    """``"default=16,gpu=2"`` -> ``{"default": 16, "gpu": 2}``."""
    slots = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, count = item.partition("=")
        if not name.strip() or not count.strip().isdigit():
            raise ValueError(f"DAGKEEPER_QUEUE_SLOTS: {item!r} is not QUEUE=COUNT")
        slots[name.strip()] = int(count)
    return slots


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ValueError(f"{name}={value!r}: must be one of {', '.join(choices)}")
    return value


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
        executor=_choice("DAGKEEPER_EXECUTOR", "local", EXECUTORS),
        celery_broker_url=os.environ.get("DAGKEEPER_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
        default_queue=os.environ.get("DAGKEEPER_DEFAULT_QUEUE", "default"),
        queue_slots=_queue_slots(os.environ.get("DAGKEEPER_QUEUE_SLOTS", "")),
        queued_resend_after=_float("DAGKEEPER_QUEUED_RESEND_AFTER", 60.0),
        worker_heartbeat=_float("DAGKEEPER_WORKER_HEARTBEAT", 5.0),
        celery_visibility_timeout=_float("DAGKEEPER_CELERY_VISIBILITY_TIMEOUT", 3600.0),
    )

"""Configuration from environment variables, read once per process.

Everything that several processes must agree on (the database, the DAG folder,
the secret key) comes from here, never from a per-process random value
(DESIGN.md invariant 6).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
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
    settle_seconds: float  # a file written without a close event must be quiet this long
    parallelism: int
    heartbeat_timeout: float
    secret_key: str | None  # None: the key ``db migrate`` stored in the database
    db_pool_size: int
    executor: str  # local | celery
    celery_broker_url: str
    default_queue: str
    queue_slots: dict[str, int]  # queue -> most tries queued or running at once
    queued_resend_after: float  # re-send a try still unclaimed after this many seconds
    worker_heartbeat: float  # seconds between a worker's registry heartbeats
    celery_visibility_timeout: float  # Redis redelivers an unacknowledged message after this
    max_conf_bytes: int  # a trigger's conf, encoded as JSON
    allowed_hosts: tuple[str, ...]  # Host header names the web server answers; () = defaults
    secret_names: tuple[str, ...]  # extra name fragments whose values are masked

    auth: bool  # off only for benchmarks and trusted single-user setups
    session_idle_timeout: float  # seconds without a request before a login ends
    session_max_age: float  # seconds after which a login ends however busy
    access_token_ttl: float  # seconds an ``/auth/token`` token lives
    login_max_failures_user: int  # failed logins per username per window
    login_max_failures_address: int  # failed logins per client address per window
    login_failure_window: float  # seconds
    fernet_key: str  # comma-separated; the first encrypts, any decrypts (key rotation)
    default_pool_slots: int  # slots of ``default_pool`` when the database is created
    max_map_length: int  # most task instances one mapped task expands to (Airflow's default)


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


def _names(name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in os.environ.get(name, "").split(",") if part.strip())


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ValueError(f"{name}={value!r}: must be one of {', '.join(choices)}")
    return value


def masked_db_url(url: str) -> str:
    """The database URL fit to print: any password replaced by ``***``."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _switch(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in ("on", "off", "1", "0", "true", "false"):
        raise ValueError(f"{name} must be on or off, not {value!r}")
    return value in ("on", "1", "true")


def load_settings() -> Settings:
    """Read the environment; call again after changing it (tests do)."""
    home = _home()
    return Settings(
        home=home,
        db_url=os.environ.get("DAGKEEPER_DB_URL", f"sqlite:///{home / 'dagkeeper.db'}"),
        # Not resolved: the folder may be a symlink that a sync side-car swaps to each
        # new revision, so every reader must follow the link as it is now.
        dags_folder=Path(
            os.path.abspath(
                os.environ.get("DAGKEEPER_DAGS_FOLDER", REPO_ROOT / "examples" / "dags")
            )
        ),
        parse_timeout=_float("DAGKEEPER_PARSE_TIMEOUT", 30.0),
        parse_workers=_int("DAGKEEPER_PARSE_WORKERS", max(2, os.cpu_count() or 2)),
        parse_memory_limit_mb=_int("DAGKEEPER_PARSE_MEMORY_LIMIT_MB", 2048),
        rescan_interval=_float("DAGKEEPER_RESCAN_INTERVAL", 30.0),
        settle_seconds=_float("DAGKEEPER_SETTLE_SECONDS", 0.5),
        parallelism=_int("DAGKEEPER_PARALLELISM", 16),
        heartbeat_timeout=_float("DAGKEEPER_HEARTBEAT_TIMEOUT", 30.0),
        secret_key=os.environ.get("DAGKEEPER_SECRET_KEY") or None,
        db_pool_size=_int("DAGKEEPER_DB_POOL_SIZE", 4),
        executor=_choice("DAGKEEPER_EXECUTOR", "local", EXECUTORS),
        celery_broker_url=os.environ.get("DAGKEEPER_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
        default_queue=os.environ.get("DAGKEEPER_DEFAULT_QUEUE", "default"),
        queue_slots=_queue_slots(os.environ.get("DAGKEEPER_QUEUE_SLOTS", "")),
        queued_resend_after=_float("DAGKEEPER_QUEUED_RESEND_AFTER", 60.0),
        worker_heartbeat=_float("DAGKEEPER_WORKER_HEARTBEAT", 5.0),
        celery_visibility_timeout=_float("DAGKEEPER_CELERY_VISIBILITY_TIMEOUT", 3600.0),
        max_conf_bytes=_int("DAGKEEPER_MAX_CONF_BYTES", 64 * 1024),
        allowed_hosts=_names("DAGKEEPER_ALLOWED_HOSTS"),
        secret_names=_names("DAGKEEPER_SECRET_NAMES"),
        auth=_switch("DAGKEEPER_AUTH", True),
        session_idle_timeout=_float("DAGKEEPER_SESSION_IDLE_TIMEOUT", 3600.0),
        session_max_age=_float("DAGKEEPER_SESSION_MAX_AGE", 86400.0),
        access_token_ttl=_float("DAGKEEPER_ACCESS_TOKEN_TTL", 86400.0),
        login_max_failures_user=_int("DAGKEEPER_LOGIN_MAX_FAILURES_USER", 5),
        login_max_failures_address=_int("DAGKEEPER_LOGIN_MAX_FAILURES_ADDRESS", 20),
        login_failure_window=_float("DAGKEEPER_LOGIN_FAILURE_WINDOW", 900.0),
        fernet_key=os.environ.get("DAGKEEPER_FERNET_KEY", ""),
        default_pool_slots=_int("DAGKEEPER_DEFAULT_POOL_SLOTS", 128),
        max_map_length=_int("DAGKEEPER_MAX_MAP_LENGTH", 1024),
    )


# The only DAGKEEPER_* variables a parse or task child process sees: user code
# has no business with the database URL, the signing key or broker credentials.
CHILD_VISIBLE = frozenset({"DAGKEEPER_HOME", "DAGKEEPER_DAGS_FOLDER", "DAGKEEPER_SECRET_NAMES"})
# Variable and connection overrides are meant for DAG code (``Variable.get`` reads them).
USER_PREFIXES = ("DAGKEEPER_VAR_", "DAGKEEPER_CONN_")


def child_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """``environ`` (default: this process's) without the DAGKEEPER_* settings user code must not see."""
    source = os.environ if environ is None else environ
    return {
        name: value
        for name, value in source.items()
        if not name.startswith("DAGKEEPER_")
        or name in CHILD_VISIBLE
        or name.startswith(USER_PREFIXES)
    }


@contextmanager
def private_environment_hidden() -> Iterator[None]:
    """Run user code (a task) with :func:`child_environment` as ``os.environ``, then restore it.

    Settings and the engine are made before; what the task starts inherits the reduced set.
    """
    saved = dict(os.environ)
    replace_environment(child_environment(saved))
    try:
        yield
    finally:
        replace_environment(saved)


def replace_environment(wanted: Mapping[str, str]) -> None:
    """Make ``os.environ`` equal ``wanted``, changing only the names that differ.

    Clearing and refilling it cost each parse child about a millisecond
    (profiled): a ``putenv`` per name, and a copy-on-write fault per page touched.
    """
    for name in [name for name in os.environ if name not in wanted]:
        del os.environ[name]
    for name, value in wanted.items():
        if os.environ.get(name) != value:
            os.environ[name] = value

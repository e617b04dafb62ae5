"""Engine and session life-cycle shared by every process.

An engine belongs to one process: call :func:`configure` after fork (the
gunicorn ``post_fork`` hook does) so no connection crosses a fork.

SQLite runs in WAL mode with a long busy timeout. Transactions that write
start with ``BEGIN IMMEDIATE`` so they queue for the write lock up front: a
deferred transaction that reads and then tries to write cannot wait for the
lock and fails with "database is locked" instead.

SQLAlchemy is imported when an engine is first built, not with this module: a
DAG-file parse child imports it to learn where the database is, and touches it
only if the file reads a Variable, while every megabyte its zygote holds is
copied at each fork (docs/PROFILE.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy is imported on first use (see the module docstring)
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

_engine: Engine | None = None
_read_sessions: sessionmaker[Session] | None = None
_write_sessions: sessionmaker[Session] | None = None
_deferred: tuple[str, int] | None = None  # set by configure_on_first_use


# A probe waits less than a request would: a store that cannot take a write
# within seconds is degraded, and a load balancer must hear so promptly.
PROBE_TIMEOUT = 5


def _on_sqlite_connect(dbapi_connection, _record, busy_ms: int = 30000) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_sqlite_begin(conn) -> None:
    """A read's deferred BEGIN goes to the driver's connection directly: through SQLAlchemy's
    statement path it cost a third of a cached request's database work. It takes no lock,
    so it cannot meet a busy database; ``BEGIN IMMEDIATE`` can, and keeps the statement
    path so that error arrives wrapped (a 503 "retry", not a 500)."""
    if conn.get_execution_options().get("sqlite_immediate", False):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.connection.driver_connection.execute("BEGIN")


def make_engine(url: str, pool_size: int = 4, *, pooled: bool = True) -> Engine:
    """Create an engine with the settings each backend needs under many processes.

    ``pooled=False`` gives a probe: every connect is a new connection that waits at most
    ``PROBE_TIMEOUT`` seconds (for the server, or for SQLite's write lock).
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    wait = 30 if pooled else PROBE_TIMEOUT
    pool = {} if pooled else {"poolclass": NullPool}
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": wait, "check_same_thread": False}, **pool
        )
        event.listen(engine, "connect", partial(_on_sqlite_connect, busy_ms=wait * 1000))
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    if not pooled:
        return create_engine(url, connect_args={"connect_timeout": wait}, **pool)
    return create_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, pool_recycle=1800
    )


def configure(url: str | None = None, pool_size: int | None = None) -> Engine:
    """(Re)create this process's engine from settings (or the given URL); returns it."""
    global _engine, _read_sessions, _write_sessions
    from sqlalchemy.orm import sessionmaker

    from dagkeeper.config import load_settings

    if url is None and _deferred is not None:
        url, pool_size = _deferred
    settings = load_settings()
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(url or settings.db_url, pool_size or settings.db_pool_size)
    _read_sessions = sessionmaker(_engine, expire_on_commit=False)
    _write_sessions = sessionmaker(
        _engine.execution_options(sqlite_immediate=True), expire_on_commit=False
    )
    return _engine


def configure_on_first_use(url: str, pool_size: int) -> None:
    """Create the engine for ``url`` only when a session is first asked for.

    A parse child rarely touches the database (only a parse-time ``Variable``
    read does), and building a PostgreSQL engine imports the driver: hundreds
    of milliseconds that every one of thousands of children would pay.
    """
    global _deferred
    dispose(after_fork=True)
    _deferred = (url, pool_size)


def probe_write() -> None:
    """Open a new connection (no pool) and take the write lock with a write that is rolled back.

    Raises the database's error when the store cannot be reached or written:
    a pooled connection can keep working on files or a server that new
    connections can no longer use, so only a fresh one tells the truth.
    """
    from sqlalchemy import text

    from dagkeeper.config import load_settings

    if _engine is not None:
        url = _engine.url.render_as_string(hide_password=False)
    else:
        url = load_settings().db_url
    probe = make_engine(url, pooled=False)
    try:
        connect = probe.connect().execution_options(sqlite_immediate=True)
        with connect as connection, connection.begin() as transaction:
            connection.execute(text("UPDATE change_counter SET value = value WHERE id = 1"))
            transaction.rollback()
    finally:
        probe.dispose()


def dispose(*, after_fork: bool = False) -> None:
    """Drop this process's engine; after a fork, leave the parent's connections alone."""
    global _engine, _read_sessions, _write_sessions
    if _engine is not None:
        _engine.dispose(close=not after_fork)
    _engine = _read_sessions = _write_sessions = None


_abandoned: list[Engine] = []


def abandon_after_fork() -> None:
    """In a forked child: forget the parent's engine without closing or collecting it.

    Its pooled connections belong to the parent; closing one (or letting the
    garbage collector do it) would end the parent's session on the server.
    The child opens its own on first use and leaves with ``os._exit``.
    """
    global _engine, _read_sessions, _write_sessions
    if _engine is not None:
        _abandoned.append(_engine)
    _engine = _read_sessions = _write_sessions = None


def engine() -> Engine:
    if _engine is None:
        configure()
    assert _engine is not None
    return _engine


def read_session(bind: Connection | None = None) -> Session:
    """A session for reads; it never takes SQLite's write lock up front.

    ``bind``: a connection whose transaction the session joins (and leaves open).
    """
    if _read_sessions is None:
        configure()
    assert _read_sessions is not None
    return _read_sessions() if bind is None else _read_sessions(bind=bind)


@contextmanager
def transaction() -> Iterator[Session]:
    """One unit of work that writes: commit on success, roll back on any error."""
    if _write_sessions is None:
        configure()
    assert _write_sessions is not None
    with _write_sessions() as session, session.begin():
        yield session

"""gunicorn settings for ``dagkeeper webserver``.

The master preloads the app (it imports no DAG-file machinery) and holds no
database engine: each worker creates its own after fork, so no connection is
ever shared across processes. Sync workers suit an API whose requests are a
few indexed reads; the browser polls ``/ui/changes`` instead of holding
connections open.
"""

from __future__ import annotations

import os

worker_class = "sync"
preload_app = True
control_socket_disable = True  # several servers on one machine must not share a socket
accesslog = os.environ.get("DAGKEEPER_ACCESS_LOG") or None  # "-" for stdout; off by default
errorlog = "-"
loglevel = os.environ.get("DAGKEEPER_LOG_LEVEL", "info")
timeout = 30
graceful_timeout = 10
keepalive = 5
proc_name = "dagkeeper-webserver"


def post_fork(server, worker) -> None:
    """Give each worker its own engine (and PostgreSQL pool of DAGKEEPER_DB_POOL_SIZE)."""
    from dagkeeper import db

    db.dispose(after_fork=True)
    db.configure()

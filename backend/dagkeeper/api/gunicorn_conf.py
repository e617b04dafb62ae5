"""gunicorn settings for ``dagkeeper webserver``.

The master preloads the app (it imports no DAG-file machinery) and holds no
database engine: each worker creates its own after fork, so no connection is
ever shared across processes. Workers are threaded (:mod:`dagkeeper.api.worker`):
an idle or slow client costs a socket in a poller, not a whole worker, as it
did with sync workers. Four threads per worker stay within the worker's
database pool (``DAGKEEPER_DB_POOL_SIZE``, 4 plus 4 overflow), and the
response cache and request sessions are per request or locked, so threads
share nothing else. ``timeout`` restarts a worker whose main loop hangs;
``keepalive`` closes idle connections after 5 s.
"""

from __future__ import annotations

import os

worker_class = "dagkeeper.api.worker.ThreadWorker"
threads = 4
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

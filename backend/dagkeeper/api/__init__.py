"""The web API: a Flask app that answers every request from the database alone.

``create_app`` imports only models, serialization and timetables (an
import-linter contract and a runtime test hold that), so a gunicorn master may
preload it and fork workers that never hold DAG-file code.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from dagkeeper.api import auth, hardening, request_cycle
from dagkeeper.api.spec import SPEC_CONFIG, DagkeeperApi
from dagkeeper.config import load_settings


def create_app(config: dict[str, Any] | None = None) -> Flask:
    from dagkeeper.api import (
        assets,
        backfills,
        connections,
        dag_runs,
        dags,
        debug,
        diff,
        docs,
        event_logs,
        health,
        home,
        import_errors,
        log_download,
        login,
        operations,
        pools,
        spa,
        task_instances,
        timeline,
        tokens,
        ui,
        users,
        variables,
        workers,
        xcoms,
    )  # fmt: skip

    app = Flask(__name__, static_folder=None)
    app.config.update(SPEC_CONFIG)
    # Shared by every worker on every host (DESIGN.md invariant 6), never per-process random.
    settings = load_settings()
    app.config["SECRET_KEY"] = settings.secret_key
    app.config["DAGKEEPER"] = settings
    app.config["DEBUG_MODULES"] = os.environ.get("DAGKEEPER_DEBUG_MODULES") == "1"
    app.config.update(config or {})

    api = DagkeeperApi(app)
    for blueprint in (
        health, dags, dag_runs, task_instances, xcoms, import_errors, ui, login, users,
        tokens, event_logs, variables, connections, pools, workers, diff, home, timeline,
        operations, log_download,
        assets,
        backfills,
    ):  # fmt: skip
        api.register_blueprint(blueprint.blp)
    app.register_blueprint(docs.bp)
    if app.config["DEBUG_MODULES"]:
        app.register_blueprint(debug.bp)
    app.register_blueprint(spa.bp)  # last: its catch-all must not shadow the API
    hardening.register(app)  # first: refused requests (Host, method) cost no read
    auth.register(app)  # before the request cycle: it keys ETags by the caller's permissions
    request_cycle.register(app)
    return app

"""``/api/v1/_debug/modules``: the names in this worker's ``sys.modules``.

Registered only when ``DAGKEEPER_DEBUG_MODULES=1`` (set by the test that
proves no web worker ever imports DAG-file machinery); never in production.
"""

from __future__ import annotations

import os
import sys

from flask import Blueprint, jsonify

bp = Blueprint("debug", __name__, url_prefix="/api/v1/_debug")


@bp.route("/modules")
def modules():
    return jsonify({"pid": os.getpid(), "modules": sorted(sys.modules)})

"""``app`` and ``client`` on the ``db`` fixture (SQLite and PostgreSQL), with data.

``client`` is logged in as an admin (an API token), so tests about what an
endpoint does need no login; tests about who may call it use :func:`client_as`.
"""

from __future__ import annotations

import pytest

from dagkeeper.api import create_app

from .factories import add_user, bearer, standard_dataset


@pytest.fixture
def app(db):
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return bearer(app, add_user("test-admin", "admin"))


@pytest.fixture
def anonymous(app):
    return app.test_client()


@pytest.fixture
def data(db):
    standard_dataset()

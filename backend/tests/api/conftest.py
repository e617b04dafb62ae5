"""``app`` and ``client`` on the ``db`` fixture (SQLite and PostgreSQL), with data."""

from __future__ import annotations

import pytest

from dagkeeper.api import create_app

from .factories import standard_dataset


@pytest.fixture
def app(db):
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def data(db):
    standard_dataset()

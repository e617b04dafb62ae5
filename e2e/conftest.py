"""End-to-end fixtures: the real stack on SQLite and PostgreSQL, driven by Chromium.

Each backend's stack (processor --watch, scheduler, gunicorn with 4 workers)
starts once per session and is torn down by PID, also on failure. On a failed
test the page's screenshot and HTML and the server logs are saved under
``e2e/artifacts/<test>/``. The suite runs logged in: every browser page
starts with the stack admin's session cookie, and API reads send its token.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from dagkeeper.testing.pg import PgCluster, find_bindir
from dagkeeper.testing.stack import Stack

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# Chromium looks up outside hosts at start; this keeps it on loopback.
NO_OUTSIDE_DNS = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"
BACKENDS = ["sqlite", "postgresql"]
# Two cores run the browser, four web workers, the processor, the scheduler and its tasks:
# Playwright's auto-waiting gets more room than its 5 s default.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [NO_OUTSIDE_DNS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """The issue's reference window: 1280 x 800."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


@pytest.fixture(scope="session")
def pg_cluster():
    if os.environ.get("DAGKEEPER_TEST_PG") == "0":
        yield None
        return
    bindir = find_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL is not installed; `make test` installs it")
    cluster = PgCluster(bindir).start()
    yield cluster
    cluster.stop()


def database_for(backend: str, tmp_path_factory, pg_cluster) -> str:
    """A fresh, empty database URL on ``backend`` (skips the PostgreSQL leg when disabled)."""
    if backend == "postgresql":
        if pg_cluster is None:
            pytest.skip("PostgreSQL leg disabled by DAGKEEPER_TEST_PG=0")
        return pg_cluster.create_database()
    return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'dagkeeper.db'}"


@pytest.fixture(scope="session", params=BACKENDS)
def stack(request, tmp_path_factory, pg_cluster):
    """The running stack for one backend, shared by every test of that backend."""
    db_url = database_for(request.param, tmp_path_factory, pg_cluster)
    root = tmp_path_factory.mktemp(f"stack-{request.param}")
    running = Stack(root, db_url, workers=4)
    try:
        running.start()
        yield running
    finally:
        running.stop()


def log_in(context, stack: Stack):
    """Give ``context`` the session cookie of ``stack``'s admin (one login per stack)."""
    if not hasattr(stack, "admin_cookie"):
        stack.admin_cookie = stack.login()
    cookie = {"name": "dagkeeper_session", "value": stack.admin_cookie, "url": stack.base_url}
    context.add_cookies([cookie])
    return context


@pytest.fixture
def context(context, stack):
    """Every page starts logged in as the stack's admin (tests that log in use new contexts)."""
    return log_in(context, stack)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _artifacts_on_failure(request):
    # Requested before the test runs, so they are torn down after this fixture looks at them.
    stack = request.getfixturevalue("stack") if "stack" in request.fixturenames else None
    page = request.getfixturevalue("page") if "page" in request.fixturenames else None
    yield
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed:
        return
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    if stack is not None:
        for name, text in stack.logs().items():
            (folder / name).write_text(text[-200_000:])
    if page is not None:
        try:
            (folder / "page.html").write_text(page.content())
            page.screenshot(path=str(folder / "page.png"), full_page=True)
        except PlaywrightError as error:  # a crashed or navigating page must not hide the failure
            (folder / "page-error.txt").write_text(str(error))


@pytest.fixture
def screenshot(page):
    """Save a screenshot of a view as a test artifact (the README shows some)."""

    def save(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return save

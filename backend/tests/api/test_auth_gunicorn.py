"""Four real gunicorn workers agree about who you are, at once (DESIGN.md invariant 8)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from .factories import add_user, standard_dataset
from .live_server import webserver

WORKERS = 4
PASSWORD = "correct horse battery"
LOGIN = {"username": "vera", "password": PASSWORD}


def test_logout_and_token_revocation_are_refused_by_every_worker_on_the_next_request(db):
    standard_dataset()
    add_user("vera", "viewer", password=PASSWORD)
    with webserver(WORKERS) as server:
        logged_in = server.request("POST", "/auth/login", LOGIN, token=None)
        cookie = logged_in.headers["Set-Cookie"].split(";")[0]
        session = {"Cookie": cookie}
        created = server.request("POST", "/api/v1/tokens", {"name": "ci"}, token=None,
                                 headers=session).json()  # fmt: skip
        token = created["token"]
        for reply in server.every_worker(
            "/api/v1/dags", WORKERS, token=None, headers=session
        ).values():
            assert reply.status == 200
        for reply in server.every_worker("/api/v1/dags", WORKERS, token=token).values():
            assert reply.status == 200

        assert server.request("POST", "/auth/logout", {}, token=None, headers=session).status == 204
        after = server.every_worker("/api/v1/dags", WORKERS, token=None, headers=session)
        assert {r.status for r in after.values()} == {401}

        assert server.request("DELETE", f"/api/v1/tokens/{created['id']}").status == 204
        revoked = server.every_worker("/api/v1/dags", WORKERS, token=token)
        assert {r.status for r in revoked.values()} == {401}


def test_failed_logins_share_one_budget_across_workers(db):
    add_user("vera", "viewer", password=PASSWORD)
    with webserver(WORKERS) as server:
        wrong = {**LOGIN, "password": "not the password"}
        failures = [server.request("POST", "/auth/login", wrong, token=None) for _ in range(5)]
        assert {r.status for r in failures} == {401}
        # Whichever worker answers next, the right password is refused too: one budget.
        refused: dict[int, int] = {}
        deadline = time.monotonic() + 60
        with ThreadPoolExecutor(8) as pool:
            while len(refused) < WORKERS:
                assert time.monotonic() < deadline, f"only workers {sorted(refused)} answered"
                replies = pool.map(lambda _: server.request("POST", "/auth/login", LOGIN,
                                                            token=None), range(8))  # fmt: skip
                refused.update((r.worker, r.status) for r in replies)
        assert set(refused.values()) == {429}

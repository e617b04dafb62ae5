"""The account commands and the start-up rules around secrets and printed URLs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dagkeeper import db
from dagkeeper.accounts.users import create_first_admin, find_user
from dagkeeper.cli.webserver import is_loopback, refusal
from dagkeeper.config import masked_db_url


def dagkeeper(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dagkeeper", *args], input=stdin, text=True,
                          capture_output=True)  # fmt: skip


def test_users_and_tokens_from_the_command_line(sqlite_db):
    created = dagkeeper("users", "create", "--username", "ana", "--role", "user", "--team",
                        "finance", "--password-stdin", stdin="a long password\n")  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert "ana" in dagkeeper("users", "list").stdout
    assert dagkeeper("users", "set-role", "--username", "ana", "--role", "op").returncode == 0
    bad = dagkeeper("users", "set-role", "--username", "ana", "--role", "root")
    assert bad.returncode == 2 and "role" in bad.stderr
    token = dagkeeper("tokens", "create", "--username", "ana", "--name", "ci").stdout.strip()
    assert token.startswith("dkp_")
    listed = dagkeeper("tokens", "list", "--username", "ana").stdout
    assert "ci" in listed and token not in listed
    with db.read_session() as s:
        user = find_user(s, "ana")
        assert (user.role, user.password_hash.startswith("$argon2id$")) == ("op", True)
    assert dagkeeper("users", "delete", "--username", "ana").returncode == 0
    assert dagkeeper("users", "delete", "--username", "ana").returncode == 1


def test_the_first_admin_is_created_once(sqlite_db):
    with db.transaction() as s:
        password = create_first_admin(s)
    assert password is not None and len(password) >= 12
    with db.transaction() as s:
        assert create_first_admin(s) is None


@pytest.mark.parametrize(
    ("bind", "key", "refused"),
    [
        ("127.0.0.1:8080", "dagkeeper-dev-only-secret", False),
        ("0.0.0.0:8080", "dagkeeper-dev-only-secret", True),
        ("0.0.0.0:8080", "short", True),
        ("0.0.0.0:8080", "x" * 40, False),
        ("0.0.0.0:8080", None, False),  # the database's random key
        ("unix:/run/dagkeeper.sock", "changeme", False),
    ],
)
def test_a_weak_secret_key_is_refused_beyond_loopback(monkeypatch, bind, key, refused):
    if key is None:
        monkeypatch.delenv("DAGKEEPER_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("DAGKEEPER_SECRET_KEY", key)
    assert (refusal(bind) is not None) is refused
    assert is_loopback("[::1]:80") and not is_loopback("10.0.0.5:80")


def test_printed_database_urls_hide_the_password():
    shown = masked_db_url("postgresql+psycopg://dk:s3cret@db.internal:5432/dagkeeper")
    assert "s3cret" not in shown and "db.internal" in shown

"""The shared secret key and the keyed hash of session ids and tokens.

The key is ``DAGKEEPER_SECRET_KEY`` when set, otherwise the random key that
``db migrate`` stored once in the database, so every worker on every host
hashes alike (DESIGN.md invariant 6). Session ids and tokens are stored only
as HMAC-SHA-256 under this key: a copy of the database alone cannot be turned
into a working cookie or token, and checking one costs microseconds (unlike a
password, which is long random data here, so no slow hash is needed).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select

from dagkeeper import db
from dagkeeper.config import load_settings
from dagkeeper.models import Secret

DEVELOPMENT_KEYS = frozenset({"dagkeeper-dev-only-secret", "changeme", "secret"})
MIN_KEY_LENGTH = 32
_keys: dict[str, bytes] = {}  # per database URL: a process may talk to several (tests do)


def secret_key() -> bytes:
    """This process's key for the database it talks to, read once (it never changes)."""
    url = str(db.engine().url)
    key = _keys.get(url)
    if key is None:
        key = _keys[url] = (load_settings().secret_key or _stored_key()).encode()
    return key


def _stored_key() -> str:
    with db.read_session() as session:
        stored = session.scalar(select(Secret.value).where(Secret.name == "secret_key"))
    if stored is None:
        raise RuntimeError("no secret key: run `dagkeeper db migrate`")
    return stored


def keyed_hash(value: str) -> str:
    return hmac.new(secret_key(), value.encode(), hashlib.sha256).hexdigest()


def new_secret(prefix: str = "") -> str:
    """A random 256-bit value, URL-safe; ``prefix`` marks what it is (``dkp_`` tokens)."""
    return prefix + secrets.token_urlsafe(32)


def weak_key_reason(key: str | None) -> str | None:
    """Why a configured key must not guard a server others can reach, or None."""
    if key is None:
        return None  # the database's random key
    if key in DEVELOPMENT_KEYS:
        return "DAGKEEPER_SECRET_KEY is a development default"
    if len(key) < MIN_KEY_LENGTH:
        return f"DAGKEEPER_SECRET_KEY is shorter than {MIN_KEY_LENGTH} characters"
    return None

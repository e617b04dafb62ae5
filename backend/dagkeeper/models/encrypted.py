"""A text column stored encrypted at rest (Fernet), for variable values and connection secrets.

The key comes from configuration, shared by every process (DESIGN.md
invariant 6): ``DAGKEEPER_FERNET_KEY`` lists one or more keys, comma-separated;
the first encrypts and any of them decrypts, so a key can be rotated by
putting the new one first. Without it a key is derived from
``DAGKEEPER_SECRET_KEY`` so a fresh install works, and set explicitly in
production (the data cannot be read without the key it was written with).
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text, TypeDecorator

from dagkeeper.config import load_settings


class UnreadableSecret(ValueError):
    """A stored value was encrypted with a key this process does not have."""


@lru_cache(maxsize=4)
def _fernet(keys: str, secret_key: str) -> MultiFernet:
    if keys.strip():
        return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
    derived = base64.urlsafe_b64encode(hashlib.sha256(f"fernet:{secret_key}".encode()).digest())
    return MultiFernet([Fernet(derived)])


def fernet() -> MultiFernet:
    settings = load_settings()
    return _fernet(settings.fernet_key, settings.secret_key)


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret(
            "a stored secret cannot be decrypted: DAGKEEPER_FERNET_KEY does not hold the key "
            "it was written with"
        ) from None


class EncryptedText(TypeDecorator[str]):
    """``Text`` in the database holding a Fernet token; plain ``str`` in Python."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect):
        return None if value is None else decrypt(value)

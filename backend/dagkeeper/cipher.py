"""The Fernet keys that encrypt variable values and connection secrets at rest.

The key comes from configuration, shared by every process (DESIGN.md
invariant 6): ``DAGKEEPER_FERNET_KEY`` lists one or more keys, comma-separated;
the first encrypts and any of them decrypts, so a key can be rotated by
putting the new one first. Without it a key is derived from
``DAGKEEPER_SECRET_KEY`` so a fresh install works, and set explicitly in
production (the data cannot be read without the key it was written with).

Neither SQLAlchemy nor ``cryptography`` is imported until a value is encrypted
or decrypted: a parse child imports this module to adopt the processor's keys,
and every megabyte its zygote holds is copied at each fork (docs/PROFILE.md).
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache
from typing import TYPE_CHECKING

from dagkeeper.config import Settings, load_settings

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet


class UnreadableSecret(ValueError):
    """A stored value was encrypted with a key this process does not have."""


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    from cryptography.fernet import Fernet, MultiFernet

    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def _configured_keys(settings: Settings) -> str:
    """The key material from configuration, never from the database it protects.

    ``DAGKEEPER_FERNET_KEY``; else one derived from ``DAGKEEPER_SECRET_KEY``; else (a
    single-host ``make run``) a random key kept once in ``$DAGKEEPER_HOME/fernet.key``.
    """
    if settings.fernet_key.strip():
        return settings.fernet_key
    if settings.secret_key:
        digest = hashlib.sha256(f"fernet:{settings.secret_key}".encode()).digest()
        return base64.urlsafe_b64encode(digest).decode()
    path = settings.home / "fernet.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of this host made it first
            pass
        else:
            from cryptography.fernet import Fernet

            with os.fdopen(fd, "w") as out:
                out.write(Fernet.generate_key().decode())
    return path.read_text().strip()


_process_keys: str | None = None  # what this process resolved first (a parse child keeps it)


def process_keys() -> str:
    """This process's key material, resolved once (what a parse child is handed)."""
    global _process_keys
    if _process_keys is None:
        _process_keys = _configured_keys(load_settings())
    return _process_keys


def adopt_keys(keys: str) -> None:
    """Use the key material of the process that started this one (a parse child)."""
    global _process_keys
    _process_keys = keys


def fernet() -> MultiFernet:
    return _fernet(process_keys())


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret(
            "a stored secret cannot be decrypted: DAGKEEPER_FERNET_KEY does not hold the key "
            "it was written with"
        ) from None

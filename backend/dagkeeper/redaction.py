"""Masking of secret-looking values before they leave a process: API bodies, rendered fields, logs.

One entry point, :func:`mask_secrets`, so it can be merged with (or replaced
by) the shared masking module without touching its callers. A value is
masked when the key it sits under looks secret (``password``, ``api_key``,
``token`` ...) or when it equals a secret this process handed out (a
connection's password, a secret variable's value; see :func:`remember_secret`), or one
of the stored secrets a caller passes (what the web API does for values a task produced).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MASK = "***"
SECRET_WORDS = (
    "access_token", "api_key", "apikey", "authorization", "credential", "passphrase",
    "passwd", "password", "private_key", "secret", "token", "keyfile_dict",
)  # fmt: skip
_SECRET_KEY = re.compile("|".join(SECRET_WORDS), re.IGNORECASE)
_MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words all over a log

_known: set[str] = set()


def is_secret_key(name: str | None) -> bool:
    return bool(name) and bool(_SECRET_KEY.search(str(name)))


def remember_secret(value: Any) -> None:
    """Mask ``value`` wherever it appears later in this process (the runner's rendered fields
    and log)."""
    if isinstance(value, str) and len(value) >= _MIN_SECRET_LENGTH:
        _known.add(value)
    elif isinstance(value, dict):
        for item in value.values():
            remember_secret(item)
    elif isinstance(value, list | tuple):
        for item in value:
            remember_secret(item)


def _mask_text(text: str, secrets: frozenset[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def mask_secrets(value: Any, key: str | None = None, secrets: Iterable[str] = ()) -> Any:
    """A copy of ``value`` with secrets replaced by ``***``; ``key`` is the name it is stored
    under (a variable key, a field name); ``secrets`` are more values to hide (stored ones)."""
    known = frozenset(_known.union(s for s in secrets if len(s) >= _MIN_SECRET_LENGTH))
    return _masked(value, key, known)


def _masked(value: Any, key: str | None, known: frozenset[str]) -> Any:
    if value is None:
        return None
    if is_secret_key(key):
        return MASK
    if isinstance(value, str):
        return _mask_text(value, known) if known else value
    if isinstance(value, dict):
        return {k: _masked(v, k, known) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v, None, known) for v in value]
    return value

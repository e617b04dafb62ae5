"""A text column stored encrypted at rest (Fernet), for variable values and connection secrets.

The keys and the cipher are :mod:`dagkeeper.cipher`'s.
"""

from __future__ import annotations

from sqlalchemy import Text, TypeDecorator

from dagkeeper.cipher import decrypt, encrypt


class EncryptedText(TypeDecorator[str]):
    """``Text`` in the database holding a Fernet token; plain ``str`` in Python."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect):
        return None if value is None else decrypt(value)

"""``Connection`` and ``BaseHook.get_connection``: an environment override first, then the database.

``DAGKEEPER_CONN_<CONN_ID>`` (upper-cased) holds a connection URI
(``postgres://user:pass@host:5432/db?sslmode=require``) or a JSON object of its
fields, as ``AIRFLOW_CONN_<ID>`` does for the peer.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from dagkeeper import db
from dagkeeper.masking import looks_secret, remember_secret

ENV_PREFIX = "DAGKEEPER_CONN_"
EXTRA_JSON = "__extra__"  # a URI query parameter holding the whole extra as JSON


class ConnectionNotFound(KeyError):
    pass


@dataclass
class Connection:
    """One connection's fields; ``Connection(uri=...)`` parses a URI."""

    conn_id: str | None = None
    conn_type: str | None = None
    description: str | None = None
    host: str | None = None
    login: str | None = None
    password: str | None = None
    schema: str | None = None
    port: int | None = None
    extra: str | dict | None = None
    uri: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.extra, dict):
            self.extra = json.dumps(self.extra)
        if self.uri is not None:
            self._parse_uri(self.uri)
            self.uri = None

    def _parse_uri(self, uri: str) -> None:
        parts = urlsplit(uri)
        if not parts.scheme:
            raise ValueError(f"connection URI {uri!r} has no scheme (the connection type)")
        self.conn_type = parts.scheme.replace("-", "_")
        self.host = unquote(parts.hostname) if parts.hostname else None
        self.login = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.port = parts.port
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        self.schema = unquote(path) or None
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if EXTRA_JSON in query:
            self.extra = query[EXTRA_JSON]
        elif query:
            self.extra = json.dumps(query)

    @property
    def extra_dejson(self) -> dict[str, Any]:
        """``extra`` as a dict ({} when empty or not a JSON object)."""
        if not self.extra:
            return {}
        try:
            value = json.loads(self.extra) if isinstance(self.extra, str) else self.extra
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def get_uri(self) -> str:
        uri = f"{(self.conn_type or '').replace('_', '-')}://"
        if self.login is not None or self.password is not None:
            uri += quote(self.login or "", safe="")
            if self.password is not None:
                uri += ":" + quote(self.password, safe="")
            uri += "@"
        uri += quote(self.host or "", safe="")
        if self.port is not None:
            uri += f":{self.port}"
        if self.schema:
            uri += "/" + quote(self.schema, safe="")
        extra = self.extra_dejson
        if extra:
            flat = all(isinstance(v, str) for v in extra.values())
            uri += "?" + urlencode(extra if flat else {EXTRA_JSON: json.dumps(extra)})
        return uri

    def get_password(self) -> str | None:
        return self.password

    def get_extra(self) -> str | None:
        return self.extra if isinstance(self.extra, str) or self.extra is None else None

    @classmethod
    def get(cls, conn_id: str) -> Connection:
        return get_connection(conn_id)

    @classmethod
    def get_connection_from_secrets(cls, conn_id: str) -> Connection:
        return get_connection(conn_id)

    def __repr__(self) -> str:
        return f"Connection({self.conn_id!r}, conn_type={self.conn_type!r}, host={self.host!r})"


_FIELDS = {f.name for f in fields(Connection)} - {"uri"}


def _from_environment(conn_id: str) -> Connection | None:
    text = os.environ.get(ENV_PREFIX + conn_id.upper())
    if text is None:
        return None
    if text.lstrip().startswith("{"):
        data = json.loads(text)
        data.pop("conn_id", None)
        unknown = set(data) - _FIELDS
        if unknown:
            raise ValueError(f"{ENV_PREFIX}{conn_id.upper()} has unknown fields {sorted(unknown)}")
        return Connection(conn_id=conn_id, **data)
    return Connection(conn_id=conn_id, uri=text)


def get_connection(conn_id: str) -> Connection:
    """The connection ``conn_id``; raises :class:`ConnectionNotFound` when it is defined nowhere."""
    found = _from_environment(conn_id)
    if found is None:
        from sqlalchemy import select  # on first use: see dagkeeper.sdk.dag_runs

        from dagkeeper.models import Connection as ConnectionRow

        with db.read_session() as session:
            row = session.scalar(select(ConnectionRow).where(ConnectionRow.conn_id == conn_id))
            if row is not None:
                found = Connection(**{name: getattr(row, name) for name in _FIELDS})
    if found is None:
        raise ConnectionNotFound(f"The conn_id `{conn_id}` isn't defined")
    remember_secret(found.password)
    remember_secret({k: v for k, v in found.extra_dejson.items() if looks_secret(k)})
    return found


class BaseHook:
    """Base class of hooks: ``get_connection`` reads a connection by id."""

    def __init__(self, logger_name: str | None = None, **_kwargs: Any):
        self.log = logging.getLogger(
            logger_name or f"{type(self).__module__}.{type(self).__name__}"
        )

    @classmethod
    def get_connection(cls, conn_id: str) -> Connection:
        return get_connection(conn_id)

    def get_conn(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not implement get_conn()")

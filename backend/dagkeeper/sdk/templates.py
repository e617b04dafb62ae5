"""``{{ var.value.x }}``, ``{{ var.json.x }}`` and ``{{ conn.x.host }}`` in templates.

Each name is looked up when the template reads it, so a task only touches the
variables and connections its templates use. ``.get(name, default)`` avoids
the error for a missing one, as in the peer.
"""

from __future__ import annotations

from typing import Any

from dagkeeper.sdk.connection import Connection, get_connection
from dagkeeper.sdk.variable import NOTSET, Variable


class _VariableValues:
    def __init__(self, deserialize_json: bool):
        self._json = deserialize_json

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        return Variable.get(key, deserialize_json=self._json)

    def get(self, key: str, default_var: Any = NOTSET) -> Any:
        return Variable.get(key, default_var, deserialize_json=self._json)


class VariableAccessor:
    """``var`` in a template context."""

    def __init__(self) -> None:
        self.value = _VariableValues(deserialize_json=False)
        self.json = _VariableValues(deserialize_json=True)


class ConnectionAccessor:
    """``conn`` in a template context."""

    def __getattr__(self, conn_id: str) -> Connection:
        if conn_id.startswith("__"):
            raise AttributeError(conn_id)
        return get_connection(conn_id)

    def get(self, conn_id: str, default_conn: Any = None) -> Any:
        try:
            return get_connection(conn_id)
        except KeyError:
            return default_conn

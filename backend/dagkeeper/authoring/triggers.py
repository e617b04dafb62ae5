"""Triggers a deferrable operator hands to the triggerer: data, not code.

Each one only names a kind known to :mod:`dagkeeper.serialization.triggers`
and its arguments; the triggerer process runs the wait itself, so it never
imports DAG files or this module. The peer's names are kept.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


class BaseTrigger:
    kind: str = ""

    def serialize(self) -> tuple[str, dict[str, Any]]:
        """``(kind, args)``, what the runner stores (after checking it)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        kind, args = self.serialize()
        return f"<{type(self).__name__} {kind} {args}>"


class DateTimeTrigger(BaseTrigger):
    """Fires at ``moment`` (a naive datetime is taken as UTC).

    With an earlier ``timeout_at``, fires ``{"timeout": True}`` then instead.
    """

    def __init__(self, moment: datetime, timeout_at: datetime | None = None):
        if not isinstance(moment, datetime):
            raise TypeError(f"DateTimeTrigger needs a datetime, got {moment!r}")
        self.moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        self.timeout_at = timeout_at

    def serialize(self) -> tuple[str, dict[str, Any]]:
        args = {"moment": self.moment.astimezone(UTC).isoformat()}
        if self.timeout_at is not None:
            args["timeout_at"] = self.timeout_at.astimezone(UTC).isoformat()
        return "datetime", args


class TimeDeltaTrigger(DateTimeTrigger):
    """Fires ``delta`` from now."""

    def __init__(self, delta: timedelta):
        super().__init__(datetime.now(UTC) + delta)


class FileTrigger(BaseTrigger):
    """Fires once ``filepath`` (a path or glob) matches a file; checks every ``poke_interval`` s.

    With ``timeout_at``, fires ``{"timeout": True}`` then if no file matched.
    """

    def __init__(
        self, filepath: str, recursive: bool = False, poke_interval: float = 5.0,
        timeout_at: datetime | None = None,
    ):  # fmt: skip
        self.filepath = filepath
        self.recursive = recursive
        self.poke_interval = poke_interval
        self.timeout_at = timeout_at

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return "file", {
            "filepath": self.filepath,
            "recursive": self.recursive,
            "poke_interval": float(self.poke_interval),
            "timeout_at": self.timeout_at.astimezone(UTC).isoformat() if self.timeout_at else None,
        }

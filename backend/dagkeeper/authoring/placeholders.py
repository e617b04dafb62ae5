"""Values that stand in for data only known when a task runs.

An ``XComArg`` (an upstream task's return value) or a ``DagParam`` (a run
parameter) may be passed to a task at definition time; the operator swaps
each one for its real value, found in the run-time context, just before it
calls user code.
"""

from __future__ import annotations

from typing import Any


class Placeholder:
    """Base of every stand-in; ``resolve`` returns the real value from the context."""

    def resolve(self, context: dict[str, Any]) -> Any:
        raise NotImplementedError


def resolve_all(value: Any, context: dict[str, Any]) -> Any:
    """Replace placeholders found in ``value`` and in its lists, tuples and dicts."""
    if isinstance(value, Placeholder):
        return value.resolve(context)
    if isinstance(value, list):
        return [resolve_all(v, context) for v in value]
    if isinstance(value, tuple):
        return tuple(resolve_all(v, context) for v in value)
    if isinstance(value, dict):
        return {k: resolve_all(v, context) for k, v in value.items()}
    return value


def find_all(value: Any) -> list[Placeholder]:
    """Every placeholder inside ``value``, in the order met."""
    if isinstance(value, Placeholder):
        return [value]
    if isinstance(value, list | tuple):
        return [p for v in value for p in find_all(v)]
    if isinstance(value, dict):
        return [p for v in value.values() for p in find_all(v)]
    return []

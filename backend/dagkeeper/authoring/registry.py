"""Collect every DAG constructed while a capture is active.

The processor does not look for DAGs among module globals: a DAG built in a
loop, inside a function or by calling a ``@dag`` function counts just the same
(and so does a DAG without tasks). Captures nest; each active capture receives
every DAG.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dagkeeper.authoring.dag import DAG

_captures: list[list[DAG]] = []


@contextmanager
def capture() -> Iterator[list[DAG]]:
    """Yield a list that receives, in construction order, each DAG built meanwhile."""
    dags: list[DAG] = []
    _captures.append(dags)
    try:
        yield dags
    finally:
        # By identity: two captures' lists may be equal (both empty, say).
        del _captures[next(i for i, c in enumerate(_captures) if c is dags)]


def register(dag: DAG) -> None:
    for dags in _captures:
        dags.append(dag)

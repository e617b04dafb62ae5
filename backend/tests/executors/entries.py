"""Entry points for the zygote in the executor tests: they record who forked each runner."""

from __future__ import annotations

import os
from pathlib import Path

PREPARED: dict[str, int] = {}  # dag id -> pid of the template that prepared it


def warm_up() -> None:
    """Nothing to warm."""


def prepare(dag_id: str) -> None:
    if dag_id == "broken":
        raise ImportError("this DAG file fails to import")
    PREPARED[dag_id] = os.getpid()


def record(dag_id: str, out: str, task_id: str, try_number: int, map_index: int) -> int:
    """Append who ran this request: the runner's parent, and the template it came prepared by."""
    line = f"{dag_id} {task_id} parent={os.getppid()} prepared_by={PREPARED.get(dag_id)}\n"
    with Path(out).open("a") as file:
        file.write(line)
    return 0

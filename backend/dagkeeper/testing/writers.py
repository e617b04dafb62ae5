"""How real tools write DAG files, for the tests and benchmarks that must survive them.

Editors, ``cp``, ``rsync --inplace`` and network copies truncate a file and
write it in chunks; a sync side-car (git-sync) checks a revision out into a
new folder and swaps a symlink to it.
"""

from __future__ import annotations

import time
from pathlib import Path


def write_in_place(path: Path, text: str, pauses: list[float]) -> None:
    """Truncate, then write whole lines in ``len(pauses) + 1`` chunks, pausing in between.

    The file stays open between chunks, and each chunk ends a line, so every
    prefix is valid Python: the imports alone (no DAG at all), then the DAG
    with only its first tasks.
    """
    lines = text.splitlines(keepends=True)
    cuts = [4 + (len(lines) - 4) * n // len(pauses) for n in range(len(pauses))] + [len(lines)]
    with open(path, "w") as f:
        start = 0
        for cut, pause in zip(cuts, [*pauses, 0.0], strict=True):
            f.write("".join(lines[start:cut]))
            f.flush()
            time.sleep(pause)
            start = cut


def swap_symlink(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` in one rename, as git-sync does: never a missing link."""
    new = link.with_name(f".{link.name}.swap")
    new.unlink(missing_ok=True)
    new.symlink_to(target)
    new.replace(link)

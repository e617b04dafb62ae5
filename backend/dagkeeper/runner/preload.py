"""A DAG file imported once for many tries: what the executor's per-DAG templates hold.

Importing the DAG file is most of a short task's cost, and it grows with the
DAG (a 1,000-task file builds 1,000 operators for each of its 1,000 tries).
The zygote (:mod:`dagkeeper.executors.zygote`) therefore forks, per DAG, a
*template* process that calls :func:`preload_dag` once and then forks that
DAG's runners; their task processes inherit the imported DAGs.

A try uses them only while nothing they came from has changed: the DAG file
and every module it imported from the DAG folder keep the modification time,
size and inode they had when the template imported them. Otherwise the task
process imports the file afresh, as without a template, so a try always runs
the code that is on disk when it starts. User code runs in the template, a
child of the zygote, never in the zygote itself; if it fails there, the
zygote forks that DAG's runners directly (see the zygote).
"""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from dagkeeper import db
from dagkeeper.authoring.loader import import_dag_file
from dagkeeper.config import load_settings
from dagkeeper.models import Dag
from dagkeeper.runner.timeouts import call_with_limit

Stamp = tuple[int, int, int] | None  # (mtime ns, size, inode); None: the file is gone


@dataclass(frozen=True)
class Preloaded:
    dags: list[Any]
    stamps: dict[str, Stamp]  # the DAG file and the modules it imported from the DAG folder
    modules: tuple[str, ...]  # the names of those modules in ``sys.modules``


_PRELOADED: dict[str, Preloaded] = {}  # resolved DAG file path -> what this process imported


def _stamp(path: str) -> Stamp:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def _modules_under(folder: Path) -> dict[str, str]:
    """Module name -> file, of the imported modules that live in ``folder``."""
    prefix = str(folder.resolve()) + os.sep
    found = {}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and file.startswith(prefix):
            found[name] = file
    return found


def preload_dag(dag_id: str) -> None:
    """In a template: import ``dag_id``'s DAG file (within the parse timeout) and keep it.

    Raises when the DAG is unknown or its file fails to import: the zygote
    then forks that DAG's runners without a template.
    """
    settings = load_settings()
    with db.read_session() as session:
        fileloc = session.scalar(select(Dag.fileloc).where(Dag.dag_id == dag_id))
    db.engine().dispose()  # the runners forked from here open their own connections
    if fileloc is None:
        raise LookupError(f"no DAG {dag_id!r}")
    path = (settings.dags_folder / fileloc).resolve()
    before = _stamp(str(path))  # taken first: a file changed while importing does not match
    limit = settings.parse_timeout
    dags = call_with_limit(
        limit, f"importing took longer than {limit:g} s", lambda: import_dag_file(path)
    )
    modules = _modules_under(settings.dags_folder)
    stamps = {file: _stamp(file) for file in modules.values()}
    stamps[str(path)] = before
    _PRELOADED[str(path)] = Preloaded(dags, stamps, tuple(modules))
    gc.freeze()  # the imported DAGs stay out of every runner's collections: fewer pages copied


def preloaded_dags(path: Path) -> list[Any] | None:
    """The DAGs the template imported from ``path``, if nothing they came from changed since.

    If something did, the modules imported with them are forgotten too, so the
    fresh import of the DAG file imports them afresh as well.
    """
    entry = _PRELOADED.pop(str(Path(path).resolve()), None)
    if entry is None:
        return None
    if any(_stamp(file) != stamp for file, stamp in entry.stamps.items()):
        for name in entry.modules:
            sys.modules.pop(name, None)
        return None
    return entry.dags

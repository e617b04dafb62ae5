"""Import one DAG file and return every DAG it built.

Used by the processor's child processes and by the task runner. Each file is
imported under a module name derived from its path, so two files that share a
base name (``etl.py`` in two folders) never replace each other in
``sys.modules``; the file's folder goes on ``sys.path`` (and stays there, since
task callables may import sibling modules lazily) so helpers next to a DAG
file import as they would for ``python file.py``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dagkeeper.authoring import registry

if TYPE_CHECKING:
    from dagkeeper.authoring.dag import DAG

MODULE_PREFIX = "dagkeeper_dagfile_"


def module_name_for(path: Path) -> str:
    """The ``sys.modules`` name a DAG file is imported under."""
    return MODULE_PREFIX + hashlib.sha1(str(path.resolve()).encode()).hexdigest()


def import_dag_file(path: Path) -> list[DAG]:
    """Execute ``path`` as a fresh module; return the DAGs built meanwhile, in order."""
    path = Path(path).resolve()
    name = module_name_for(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}: not a Python source file")
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        with registry.capture() as dags:
            spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    for dag in dags:
        dag.fileloc = str(path)
    return dags

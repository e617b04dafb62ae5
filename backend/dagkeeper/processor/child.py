"""What runs inside the child process that imports one DAG file.

The child is a fresh fork of a process that already imported the authoring
API, so importing a small file costs milliseconds, and nothing one file does
(globals, monkey-patching, leaked threads) can reach the next file. It sends
back plain data only: the documents, or an error description.
"""

from __future__ import annotations

import os
import pickle
import resource
import sys
import sysconfig
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

import dagkeeper
from dagkeeper import db
from dagkeeper.authoring import DAG, registry
from dagkeeper.authoring.loader import import_dag_file
from dagkeeper.authoring.to_document import serialize_dag
from dagkeeper.cipher import adopt_keys
from dagkeeper.config import replace_environment
from dagkeeper.operators import BashOperator, EmptyOperator
from dagkeeper.sdk.variable import recording_reads
from dagkeeper.serialization import dumps

_DAGKEEPER_DIR = str(Path(dagkeeper.__file__).resolve().parent) + os.sep
_LIBRARY_DIRS = tuple(
    {sysconfig.get_paths()[key] + os.sep for key in ("stdlib", "platstdlib", "purelib", "platlib")}
)
# The first byte of a child's message: whether the file made it load the database layer
# (a Variable read from the database, say), which its zygote then loads for the next ones.
USED_DATABASE, NO_DATABASE = b"d", b"-"


def database_loaded() -> bool:
    """Whether this process holds the database layer (the models, and SQLAlchemy with them)."""
    return "dagkeeper.models" in sys.modules


def parse_in_child(
    conn, path: str, folder: str, env: dict[str, str], memory_limit: int, db_url: str, keys: str
) -> None:
    """Import ``path``, serialize its DAGs and send the outcome down ``conn``; never returns.

    Runs in a fresh fork of the zygote (:mod:`dagkeeper.processor.zygote`)."""
    _silence_output()
    # Parse-time Variable reads use the processor's database and cipher, handed over as
    # arguments: the DAG file's environment has neither (nor is the forkserver's current).
    db.configure_on_first_use(db_url, pool_size=1)
    adopt_keys(keys)
    replace_environment(env)
    if memory_limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    with recording_reads() as variables:
        try:
            payload: dict[str, Any] = {"dags": _serialize_file(Path(path), folder)}
        except BaseException as exc:  # noqa: B036 -- sys.exit and KeyboardInterrupt are import errors too
            payload = {"error": describe_error(exc, Path(path), folder)}
    payload["variables"] = sorted(set(variables))
    try:
        used = USED_DATABASE if database_loaded() else NO_DATABASE
        conn.send_bytes(used + pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        # Skip atexit hooks and the wait for non-daemon threads the file may have started.
        os._exit(0)


def _silence_output() -> None:
    """A file that prints megabytes must neither block on a pipe nor flood a terminal."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def _serialize_file(path: Path, folder: str) -> list[tuple[str, bytes]]:
    dags = import_dag_file(path)
    seen: set[str] = set()
    documents = []
    for dag in dags:
        if dag.dag_id in seen:
            raise DuplicateDagInFile(f"DAG id {dag.dag_id!r} is defined twice in this file")
        seen.add(dag.dag_id)
        documents.append((dag.dag_id, dumps(serialize_dag(dag), validate=False)))
    return documents


def warm_up() -> None:
    """Build and encode a small DAG once, in the forkserver before it freezes its heap.

    Whatever is built on first use (argument binding, cron parsing, the JSON
    encoder, pickling) is then inherited by every child, instead of being built
    again, and copied page by page, in each of thousands of them. The DAG is
    captured and dropped: nothing of it reaches a file's parse.
    """
    with registry.capture():
        with DAG(
            "dagkeeper_warm_up",
            schedule="*/15 * * * *",
            start_date=datetime(2024, 1, 1),
            default_args={"retries": 1},
            tags=["warm"],
            description="warm up",
        ) as dag:
            first = EmptyOperator(task_id="first")
            second = [BashOperator(task_id=f"second_{i}", bash_command="echo") for i in range(2)]
            first >> second
        pickle.dumps({"dags": [(dag.dag_id, dumps(serialize_dag(dag), validate=False))]})


class DuplicateDagInFile(ValueError):
    """One file built two DAGs with the same id."""


def display_path(filename: str, folder: str) -> str:
    """A path as users know it: relative to the DAG folder when inside it."""
    try:
        return str(Path(filename).resolve().relative_to(folder))
    except ValueError:
        return filename


def _is_internal(filename: str) -> bool:
    return filename.startswith("<") or filename.startswith(_DAGKEEPER_DIR)


def describe_error(exc: BaseException, path: Path, folder: str) -> dict[str, str]:
    """``{"message", "stacktrace"}``: one line naming file and line, and the user's frames."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not _is_internal(f.filename)]
    user_code = [f for f in frames if not f.filename.startswith(_LIBRARY_DIRS)]
    if isinstance(exc, SyntaxError) and exc.filename and not _is_internal(exc.filename):
        where = f"{display_path(exc.filename, folder)}:{exc.lineno}"
    elif user_code:
        where = f"{display_path(user_code[-1].filename, folder)}:{user_code[-1].lineno}"
    else:
        where = display_path(str(path), folder)
    if isinstance(exc, SystemExit):
        what = f"sys.exit({exc.code!r}) called"
    elif isinstance(exc, SyntaxError):
        what = f"{type(exc).__name__}: {exc.msg}"
    else:
        text = str(exc).strip().splitlines()
        what = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    stacktrace = "".join(
        (["Traceback (most recent call last):\n"] if frames else [])
        + traceback.format_list(frames)
        + traceback.format_exception_only(type(exc), exc)
    )
    return {"message": f"{where}: {what}", "stacktrace": stacktrace}

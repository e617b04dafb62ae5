"""Run each DAG file's import in its own child process, with a deadline.

Children are forked by a zygote (:mod:`dagkeeper.processor.zygote`), itself
launched once per pass by a multiprocessing *forkserver* that pre-imported the
authoring API, operators and serialization: a child starts in milliseconds,
already warm, and every file gets a pristine interpreter (no state leaks from
one file to the next). The parent never imports user code and never forks
itself, so its database connections and threads cannot leak into a child.

The parent reads each child's pipe as soon as it is readable, so a large
document (thousands of tasks) cannot deadlock a child blocked on a full pipe.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import queue
import signal
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from pathlib import Path

from dagkeeper import db
from dagkeeper.cipher import process_keys
from dagkeeper.config import child_environment, load_settings

PRELOAD = [
    "dagkeeper.authoring",
    "dagkeeper.operators",
    "dagkeeper.serialization",
    "dagkeeper.processor.child",
    "dagkeeper.processor.isolation",
    "dagkeeper.processor.zygote",
    "dagkeeper.processor.forkserver_ready",
]


@dataclass(frozen=True)
class ParsedDag:
    dag_id: str
    document: bytes  # canonical bytes; the parent derives the rest when it is a new version


@dataclass(frozen=True)
class ImportFailure:
    message: str  # one line, naming file and line
    stacktrace: str


@dataclass
class ParseResult:
    path: Path
    dags: list[ParsedDag] = field(default_factory=list)
    error: ImportFailure | None = None
    duration: float = 0.0
    variables: list[str] = field(default_factory=list)  # Variable keys the file read


class _Popen(popen_forkserver.Popen):
    """The forkserver launch, minus re-running the parent's ``__main__`` in each child.

    The stdlib re-imports the parent's main script in every child so that
    functions defined there unpickle; ours live in :mod:`dagkeeper.processor.child`,
    and re-running a script (``python -m bench.processor``, a user's own
    script) in each child would be slow at best and recursive at worst.
    """

    def _launch(self, process_obj):
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_name", None)
        prep_data.pop("init_main_from_path", None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        parent_w = os.dup(w)  # the child's "parent is alive" sentinel, as in the stdlib
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _ParseProcess(context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _Popen(process_obj)


_preloaded = False


def _forkserver_context() -> context.ForkServerContext:
    global _preloaded
    forkserver_context = multiprocessing.get_context("forkserver")
    if not _preloaded:
        forkserver_context.set_forkserver_preload(PRELOAD)
        _preloaded = True
    return forkserver_context


def _exit_message(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"killed by signal {-exitcode} ({signal.Signals(-exitcode).name})"
    return f"process exited with code {exitcode}"


def _result(outcome: tuple, folder: Path) -> ParseResult:
    """Turn what a child sent (or how it ended), as the zygote relayed it, into a result."""
    from dagkeeper.processor.child import display_path

    path, payload, failure, exitcode, seconds = outcome
    result = ParseResult(Path(path), duration=seconds)
    if payload is not None:
        data = pickle.loads(payload)
        result.variables = data.get("variables", [])
        if "error" in data:
            result.error = ImportFailure(data["error"]["message"], data["error"]["stacktrace"])
        else:
            result.dags = [ParsedDag(*dag) for dag in data["dags"]]
        return result
    if failure is None:
        failure = _exit_message(exitcode)
    result.error = ImportFailure(f"{display_path(path, str(folder))}: {failure}", "")
    return result


def parse_files(
    paths: Iterable[Path],
    *,
    folder: Path,
    workers: int,
    timeout: float,
    stop: threading.Event | None = None,
) -> Iterator[ParseResult]:
    """Parse each file in its own child, ``workers`` at a time; yield results as they finish.

    A zygote (:mod:`dagkeeper.processor.zygote`) forks and supervises the children;
    closing its connection (on ``stop``, or when the caller is done) kills what is left.
    """
    from dagkeeper.processor.zygote import serve

    todo = [str(path) for path in paths]
    if not todo:
        return
    stop = stop or threading.Event()
    conn, theirs = _forkserver_context().Pipe(duplex=True)
    child_args = (
        str(folder),
        child_environment(),
        load_settings().parse_memory_limit_mb * 1024**2,
        db.engine().url.render_as_string(hide_password=False),
        process_keys(),
    )
    zygote = _ParseProcess(
        target=serve,
        args=(theirs, todo, workers, timeout, child_args),
        name="dagkeeper-parse-zygote",
        daemon=True,
    )
    zygote.start()
    theirs.close()
    try:
        for _ in todo:
            while not stop.is_set() and not conn.poll(0.5):
                if not zygote.is_alive() and not conn.poll():
                    raise RuntimeError(f"the parse zygote died ({_exit_message(zygote.exitcode)})")
            if stop.is_set():
                return
            yield _result(conn.recv(), folder)
    finally:
        conn.close()
        zygote.join()


_DONE = object()


def parse_files_in_background(
    paths: Iterable[Path], *, folder: Path, workers: int, timeout: float
) -> Iterator[ParseResult]:
    """:func:`parse_files` driven by a thread, so children keep running while the caller
    publishes a result (the thread mostly waits on pipes, so it barely holds the GIL)."""
    results: queue.Queue = queue.Queue()
    stop = threading.Event()
    # Started from the calling (long-lived) thread: the forkserver's parent-death
    # signal fires when the thread that started it ends, not just the process.
    _forkserver_context()
    forkserver.ensure_running()

    def produce() -> None:
        try:
            for result in parse_files(
                paths, folder=folder, workers=workers, timeout=timeout, stop=stop
            ):
                results.put(result)
        except BaseException as exc:  # noqa: BLE001 -- re-raised in the consuming thread
            results.put(exc)
        finally:
            results.put(_DONE)

    thread = threading.Thread(target=produce, name="dagkeeper-parse", daemon=True)
    thread.start()
    try:
        while (item := results.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()

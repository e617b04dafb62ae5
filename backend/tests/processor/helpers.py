"""Build DAG files and read back the exact database state the processor left."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

from sqlalchemy import select

from dagkeeper.db import read_session
from dagkeeper.models import Dag, DagFile, DagImportError, DagTag, DagVersion
from dagkeeper.models.change import current_token


def dag_source(dag_id: str, *, tasks: tuple[str, ...] = ("a", "b"), extra: str = "") -> str:
    """A small DAG file: ``tasks`` chained in order, plus ``extra`` lines at the end."""
    chain = " >> ".join(tasks)
    ops = "\n".join(f'    {t} = EmptyOperator(task_id="{t}")' for t in tasks)
    return (
        "from datetime import datetime\n"
        "from dagkeeper import DAG\n"
        "from dagkeeper.operators import EmptyOperator\n\n"
        f'with DAG("{dag_id}", schedule="@daily", start_date=datetime(2024, 1, 1),'
        f' tags=["t"]) as dag:\n{ops}\n    {chain}\n' + textwrap.dedent(extra)
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def dags() -> dict[str, tuple[str, bool, bool, int]]:
    """dag_id -> (fileloc, is_active, has_import_errors, version_number)."""
    with read_session() as session:
        rows = session.scalars(select(Dag)).all()
        return {
            d.dag_id: (d.fileloc, d.is_active, d.has_import_errors, d.version_number) for d in rows
        }


def import_errors() -> dict[str, str]:
    with read_session() as session:
        return dict(session.execute(select(DagImportError.fileloc, DagImportError.message)).all())


def stacktrace(fileloc: str) -> str:
    with read_session() as session:
        return session.scalar(
            select(DagImportError.stacktrace).where(DagImportError.fileloc == fileloc)
        )


def files() -> dict[str, int]:
    """path -> dag_count of every dag_file row."""
    with read_session() as session:
        return dict(session.execute(select(DagFile.path, DagFile.dag_count)).all())


def versions(dag_id: str) -> list[tuple[int, str, int]]:
    """(version_number, hash, task_count) of a DAG's versions, oldest first."""
    with read_session() as session:
        rows = session.execute(
            select(DagVersion.version_number, DagVersion.hash, DagVersion.task_count)
            .where(DagVersion.dag_id == dag_id)
            .order_by(DagVersion.version_number)
        ).all()
        return [tuple(r) for r in rows]


def tags(dag_id: str) -> list[str]:
    with read_session() as session:
        return list(session.scalars(select(DagTag.name).where(DagTag.dag_id == dag_id)))


def document(dag_id: str) -> str:
    with read_session() as session:
        dag = session.get(Dag, dag_id)
        return session.get(DagVersion, dag.current_version_id).document


def token() -> int:
    with read_session() as session:
        return current_token(session)


def wait_for(condition, seconds: float = 20.0) -> None:
    """Poll ``condition`` until it holds (a bound for a broken build, not a speed check)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met before the deadline")

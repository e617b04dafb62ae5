"""Grow a PostgreSQL benchmark database to 100,000 DAGs and 10 million task instances.

Parsing 100,000 files and inserting 10 million rows from Python would take
hours on two cores, so the database does the copying: the first 1,000 small
DAGs are parsed by the real processor (:func:`bench.api.prepare`), and every
further DAG is a copy of one of them (``bench_small_N`` from
``bench_small_{N % 1000}``): its ``dag`` row with every model column, its tags
and its current ``dag_version`` with the DAG id replaced in the stored texts.
Runs and task instances are made by ``INSERT ... SELECT`` over
``generate_series``, one statement per batch of DAGs, with the shapes of
:mod:`bench.history`: daily runs, every 10th failed, the newest running, one
task instance per task of the run's version. Column lists come from the model
tables, so a new column with a default is copied too.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, text

from bench.history import START
from dagkeeper.models import Dag, DagRun, DagTag, DagVersion, TaskInstance

TEMPLATES = 1000  # bench_small_0000 .. 0999, parsed for real
BATCH = 5000  # DAGs per statement: 500,000 task instances at 10 runs


def small_id(index: int) -> str:
    """The DAG id :mod:`bench.generate` gives small DAG ``index``."""
    return f"bench_small_{index:04d}"


_NUMBER = "lpad(i::text, greatest(4, length(i::text)), '0')"  # as Python's {i:04d}
_NEW_ID = f"'bench_small_' || {_NUMBER}"
_TEMPLATE_ID = f"'bench_small_' || lpad((i % {TEMPLATES})::text, 4, '0')"


def _copied(table, overridden: dict[str, str]) -> tuple[str, str]:
    """``(column list, select list)``: every model column, ``t.<column>`` unless overridden
    (``id`` only when given)."""
    names = [c.name for c in table.columns if c.name != "id" or "id" in overridden]
    values = [overridden.get(n, f"t.{n}") for n in names]
    return ", ".join(f'"{n}"' for n in names), ", ".join(values)


def copy_dags(conn: Connection, first: int, last: int) -> None:
    """Add small DAGs ``first`` .. ``last - 1`` as copies of the parsed templates."""
    series = f"generate_series({first}, {last - 1}) AS i"
    # Each copy's version id is drawn up front, so no row is updated afterwards (an
    # update per row would leave every index of ``dag`` twice its size).
    version_id = f"nextval(pg_get_serial_sequence('{DagVersion.__tablename__}', 'id'))"
    columns, values = _copied(
        Dag.__table__,
        {"dag_id": _NEW_ID, "current_version_id": version_id,
         "fileloc": f"'team_' || (i % 10) || '/small_' || {_NUMBER} || '.py'"},
    )  # fmt: skip
    conn.execute(text(
        f"INSERT INTO {Dag.__tablename__} ({columns}) SELECT {values} FROM {series}"
        f" JOIN {Dag.__tablename__} t ON t.dag_id = {_TEMPLATE_ID}"
    ))  # fmt: skip
    conn.execute(text(
        f"INSERT INTO {DagTag.__tablename__} (dag_id, name) SELECT {_NEW_ID}, t.name"
        f" FROM {series} JOIN {DagTag.__tablename__} t ON t.dag_id = {_TEMPLATE_ID}"
    ))  # fmt: skip
    replaced = {n: f"replace(t.{n}, d.dag_id, {_NEW_ID})" for n in ("document", "structure")}
    columns, values = _copied(
        DagVersion.__table__, {"id": "c.current_version_id", "dag_id": _NEW_ID, **replaced}
    )
    conn.execute(text(
        f"INSERT INTO {DagVersion.__tablename__} ({columns}) SELECT {values} FROM {series}"
        f" JOIN {Dag.__tablename__} c ON c.dag_id = {_NEW_ID}"
        f" JOIN {Dag.__tablename__} d ON d.dag_id = {_TEMPLATE_ID}"
        f" JOIN {DagVersion.__tablename__} t ON t.id = d.current_version_id"
    ))  # fmt: skip


def add_runs(conn: Connection, first: int, last: int, runs: int) -> int:
    """``runs`` daily runs of each small DAG ``first`` .. ``last - 1``, with task instances.

    Returns the number of task instances added.
    """
    dags = f"generate_series({first}, {last - 1}) AS i"
    conn.execute(
        text(
            f"INSERT INTO {DagRun.__tablename__} (dag_id, run_id, run_type, state, logical_date,"
            " data_interval_start, data_interval_end, conf, dag_version_id, queued_at,"
            " start_date, end_date, updated_at)"
            f" SELECT d.dag_id, 'scheduled__' || to_char(ld AT TIME ZONE 'UTC',"
            """ 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'), 'scheduled', st, ld, ld,"""
            " ld + interval '1 day', '{}', d.current_version_id, ld + interval '1 day',"
            " ld + interval '1 day', CASE WHEN st = 'running' THEN NULL"
            " ELSE ld + interval '1 day 30 minutes' END, now()"
            f" FROM {dags} JOIN {Dag.__tablename__} d ON d.dag_id = {_NEW_ID},"
            f" generate_series(0, :runs - 1) AS k,"
            " LATERAL (SELECT CAST(:start AS timestamptz) + k * interval '1 day' AS ld,"
            " CASE WHEN k = :runs - 1 THEN 'running' WHEN k % 10 = 9 THEN 'failed'"
            " ELSE 'success' END AS st) AS r"
        ),
        {"runs": runs, "start": START},
    )
    # States as bench.history gives them, drawn from a hash instead of a seeded random.
    pick = "(abs(hashtext(r.run_id || task)) % 5) + 1"
    added = conn.execute(
        text(
            f"INSERT INTO {TaskInstance.__tablename__} (dag_run_id, dag_id, task_id, state,"
            " try_number, max_tries, operator, start_date, end_date, duration, hostname,"
            " map_index, pool, pool_slots, continues_try, poke_count, updated_at)"
            " SELECT r.id, r.dag_id, task, s.state, CASE WHEN s.state IS NULL THEN 0 ELSE 1 END,"
            " 1, CASE WHEN task IN ('start', 'end') THEN 'EmptyOperator' ELSE 'BashOperator' END,"
            " CASE WHEN s.state IN ('success', 'failed', 'skipped', 'running')"
            " THEN r.start_date END,"
            " CASE WHEN s.state IN ('success', 'failed', 'skipped')"
            " THEN r.start_date + interval '2 seconds' END,"
            " CASE WHEN s.state IN ('success', 'failed', 'skipped') THEN 2.0 END,"
            " 'bench', -1, 'default_pool', 1, false, 0, now()"
            f" FROM {dags} JOIN {DagRun.__tablename__} r ON r.dag_id = {_NEW_ID}"
            f" JOIN {DagVersion.__tablename__} v ON v.id = r.dag_version_id,"
            " json_array_elements_text(v.task_order::json) AS task,"
            " LATERAL (SELECT CASE"
            f" WHEN r.state = 'running' THEN (ARRAY['success', 'success', 'running', 'queued',"
            f" 'scheduled', NULL])[{pick} + (abs(hashtext(task)) % 2)]"
            f" WHEN r.state = 'failed' THEN (ARRAY['success', 'success', 'failed',"
            f" 'upstream_failed', 'skipped'])[{pick}]"
            " ELSE 'success' END AS state) AS s"
        )
    ).rowcount
    return added


def grow(conn_factory, dags: int, runs: int, *, first: int = 0, log=print) -> int:
    """Copy DAGs up to ``dags`` (from ``TEMPLATES``) and give DAGs ``first``.. their runs.

    ``conn_factory`` opens a transaction (``engine.begin``); each batch commits on its
    own, so a crash keeps what was done. Returns the task instances added.
    """
    added = 0
    for start in range(first, dags, BATCH):
        end = min(dags, start + BATCH)
        started = time.perf_counter()
        with conn_factory() as conn:
            if end > TEMPLATES:
                copy_dags(conn, max(start, TEMPLATES), end)
            added += add_runs(conn, start, end, runs)
        log(f"bulk: DAGs {start}..{end - 1}, {added:,} task instances so far"
            f" ({time.perf_counter() - started:.1f} s)")  # fmt: skip
    return added

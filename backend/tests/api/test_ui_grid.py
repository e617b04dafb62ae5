"""The grid after state changes equals the grid computed from the task instance rows.

The grid endpoint has the database concatenate each run's state codes (issue 19);
this test keeps it honest against the plain definition: per task in tree order
and per run, the code of the most pressing state among the task's instances,
and per expanded mapped task the count of map indexes in each state.
"""

from __future__ import annotations

from sqlalchemy import select, update

from dagkeeper import db as database
from dagkeeper.models import DagRun, TaskInstance
from dagkeeper.testing.mapped_history import add_mapped_runs

from .factories import add_run, document, group, publish, task

MAPPED = task(
    "work.process", group="work", operator="PythonOperator",
    expand={"kind": "dict", "arguments": [
        {"name": "x", "source": {"type": "xcom", "task_id": "extract", "key": "return_value"}}
    ]},
)  # fmt: skip
TASKS = [task("extract"), MAPPED, task("work.check", group="work"), task("load")]
MOST_PRESSING_FIRST = [
    "failed", "upstream_failed", "up_for_retry", "queued", "scheduled", "running", None,
    "removed", "skipped", "success", "deferred", "up_for_reschedule",
]  # fmt: skip
CODES = {
    "scheduled": "S", "queued": "Q", "running": "R", "success": "s", "failed": "f",
    "skipped": "k", "upstream_failed": "u", "up_for_retry": "r", "removed": "x",
    "up_for_reschedule": "w", "deferred": "d", None: "-",
}  # fmt: skip


def _from_rows(grid: dict) -> tuple[list[str], dict]:
    """``states`` and ``mapped`` of ``grid``'s runs and task ids, from the task instance rows."""
    with database.transaction() as s:
        rows = s.execute(
            select(DagRun.run_id, TaskInstance.task_id, TaskInstance.map_index, TaskInstance.state)
            .join(DagRun, DagRun.id == TaskInstance.dag_run_id)
            .where(DagRun.run_id.in_([r["run_id"] for r in grid["runs"]]))
        ).all()
    states, mapped = [], {}
    for task_id in grid["task_ids"]:
        cells = []
        for column, run in enumerate(grid["runs"]):
            mine = [(m, st) for r, t, m, st in rows if (r, t) == (run["run_id"], task_id)]
            shown = sorted((st for _, st in mine), key=MOST_PRESSING_FIRST.index)
            cells.append(CODES[shown[0]] if shown else ".")
            if any(m >= 0 for m, _ in mine):
                counts = mapped.setdefault(task_id, [None] * len(grid["runs"]))
                counts[column] = {}
                for _, st in sorted(mine, key=lambda row: row[1] or ""):
                    counts[column][st or "none"] = counts[column].get(st or "none", 0) + 1
        states.append("".join(cells))
    return states, mapped


def _ti_path(run_id: str, task_id: str) -> str:
    return f"/api/v1/dags/mix/dagRuns/{run_id}/taskInstances/{task_id}"


def test_grid_after_marks_clears_and_mapped_changes_equals_the_rows(client, db):
    with database.transaction() as s:
        publish(s, document("mix", tasks=TASKS, groups=[group("work")]))
    oldest, middle, newest = add_mapped_runs("mix", "work.process", runs=3, width=6)
    client.patch(_ti_path(newest, "extract"), json={"state": "failed"})
    client.patch(_ti_path(oldest, "work.process") + "?map_index=2", json={"state": "failed"})
    clear = {"dag_run_ids": [oldest], "task_ids": ["load"], "dry_run": False}
    assert client.post("/api/v1/dags/mix/clearTaskInstances", json=clear).status_code == 200
    clear = {**clear, "dag_run_ids": [newest], "task_ids": ["work.process"], "map_indexes": [1]}
    r = client.post("/api/v1/dags/mix/clearTaskInstances", json=clear)
    assert r.status_code == 200, r.json
    with database.transaction() as s:
        run_pk = s.scalar(select(DagRun.id).where(DagRun.run_id == middle))
        # of the two states Airflow does not rank, the cell shows the first by name
        for where, state in ((TaskInstance.map_index >= 0, "up_for_reschedule"),
                             (TaskInstance.map_index == 3, "deferred")):  # fmt: skip
            s.execute(
                update(TaskInstance)
                .where(TaskInstance.dag_run_id == run_pk, where)
                .values(state=state)
            )
        add_run(s, "mix", 10)  # a run without task instances
        # a new version without "load": older runs' "load" rows are not shown
        publish(s, document("mix", tasks=TASKS[:3], groups=[group("work")]))
        add_run(s, "mix", 11, {"extract": "running", "work.check": None})
    grid = client.get("/ui/grid/mix").json
    assert grid["task_ids"] == ["extract", "work.process", "work.check"]
    assert (grid["states"], grid["mapped"]) == _from_rows(grid)
    # oldest first: the two runs added here (the factories' START is two years earlier)
    assert grid["states"] == [".Rssf", "..fdR", ".-sss"]
    for run in grid["runs"]:  # one run, in the version it ran with
        one = client.get("/ui/grid/mix", query_string={"run_id": run["run_id"]}).json
        assert (one["states"], one["mapped"]) == _from_rows(one)

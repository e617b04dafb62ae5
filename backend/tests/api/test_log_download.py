"""A try's whole log downloads as plain text, however many chunks it was written in."""

from __future__ import annotations

from dagkeeper import db as database
from dagkeeper.models import DagRun, TaskInstance

from .factories import add_log

TI = "/api/v1/dags/etl/dagRuns/scheduled__2024-01-02T00:00:00%2B00:00/taskInstances"


def test_the_whole_log_downloads_in_order_as_an_attachment(client, data):
    with database.transaction() as s:
        run = s.query(DagRun).filter_by(run_id="scheduled__2024-01-02T00:00:00+00:00").one()
        ti = s.query(TaskInstance).filter_by(dag_run_id=run.id, task_id="load").one()
        ti.try_number = 1
        add_log(s, ti, 1, [f"line {i:05d}\n" for i in range(3000)])
    response = client.get(f"{TI}/load/logs/1/download")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert (
        'attachment; filename="etl__scheduled__2024-01-02T00-00-00+00-00__load__1.log"'
        in (response.headers["Content-Disposition"])
    )
    text = response.get_data(as_text=True)
    assert text.splitlines() == [f"line {i:05d}" for i in range(3000)]


def test_download_of_a_missing_try_or_task_is_404(client, data):
    assert client.get(f"{TI}/transform.clean/logs/1/download").status_code == 200
    assert client.get(f"{TI}/transform.clean/logs/2/download").status_code == 404
    assert client.get(f"{TI}/nope/logs/1/download").status_code == 404

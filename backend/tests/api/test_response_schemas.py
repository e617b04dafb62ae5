"""Real responses validate against the response schemas the OpenAPI document is built from.

Views build plain dicts for speed; this keeps them from drifting away from
what the frontend's generated types promise.
"""

from __future__ import annotations

from dagkeeper.api.schemas import (
    auth,
    dag_runs,
    dags,
    diff,
    health,
    home,
    import_errors,
    task_instances,
    timeline,
    ui,
)  # fmt: skip
from dagkeeper.api.schemas import workers as worker_schemas

RUN = "scheduled__2024-01-02T00:00:00%2B00:00"
TI = f"/api/v1/dags/etl/dagRuns/{RUN}/taskInstances"

CASES = [
    ("/api/v1/health", health.HealthSchema),
    ("/api/v1/dags", dags.DagCollection),
    ("/api/v1/dags/etl", dags.DagSchema),
    ("/api/v1/dags/etl/details", dags.DagDetailsSchema),
    ("/api/v1/dags/etl/tasks", dags.TaskCollection),
    ("/api/v1/dags/etl/tasks/load", dags.TaskSchema),
    ("/api/v1/dags/etl/source", dags.SourceSchema),
    ("/api/v1/dags/etl/versions", dags.VersionCollection),
    ("/api/v1/dags/etl/versions/1", dags.VersionDetailSchema),
    ("/api/v1/dags/etl/dagRuns", dag_runs.RunCollection),
    (f"/api/v1/dags/etl/dagRuns/{RUN}", dag_runs.RunSchema),
    (TI, task_instances.TaskInstanceCollection),
    (f"{TI}/transform.clean", task_instances.TaskInstanceDetailSchema),
    (f"{TI}/transform.clean/logs/1", task_instances.LogSchema),
    ("/api/v1/importErrors", import_errors.ImportErrorCollection),
    ("/api/v1/workers", worker_schemas.WorkerCollection),
    ("/ui/structure/etl", ui.StructureSchema),
    ("/ui/grid/etl", ui.GridSchema),
    ("/ui/changes?since=0", ui.ChangesSchema),
    ("/ui/diff/etl?from=1&to=1", diff.DiffSchema),
    ("/ui/home", home.HomeSchema),
    (f"/ui/gantt/etl?run_id={RUN}", timeline.GanttSchema),
    ("/ui/task_history/etl/transform.clean", timeline.TaskHistorySchema),
    ("/ui/calendar/etl?year=2024", timeline.CalendarSchema),
    ("/auth/me", auth.Me),
    ("/api/v1/users", auth.UserCollection),
    ("/api/v1/users/test-admin", auth.UserSchema),
    ("/api/v1/tokens", auth.TokenCollection),
    ("/api/v1/eventLogs", auth.EventLogCollection),
]


def test_every_get_response_matches_its_schema(client, data):
    for url, schema in CASES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert schema().validate(response.json) == {}, url


def test_write_responses_match_their_schemas(client, data):
    created = client.post("/api/v1/dags/etl/dagRuns", json={"conf": {"target": "x"}})
    assert dag_runs.RunSchema().validate(created.json) == {}
    marked = client.patch(f"{TI}/load", json={"state": "success"})
    assert task_instances.TaskInstanceSchema().validate(marked.json) == {}
    cleared = client.post(
        "/api/v1/dags/etl/clearTaskInstances", json={"dag_run_ids": [RUN.replace("%2B", "+")]}
    )
    assert task_instances.ClearedCollection().validate(cleared.json) == {}
    paused = client.patch("/api/v1/dags/etl", json={"is_paused": True})
    assert dags.DagSchema().validate(paused.json) == {}
    token = client.post("/api/v1/tokens", json={"name": "ci", "expires_in_days": 3})
    assert auth.NewToken().validate(token.json) == {}
    user = client.post("/api/v1/users", json={"username": "u", "role": "user", "teams": ["t"]})
    assert auth.UserSchema().validate(user.json) == {}
    events = client.get("/api/v1/eventLogs").json  # now with details of every kind
    assert auth.EventLogCollection().validate(events) == {} and events["total_entries"] == 6
    problem = client.get("/api/v1/dags/nope").json
    assert set(problem) == {"type", "title", "status", "detail"}

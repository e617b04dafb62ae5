"""``/api/v1/assets``: exact JSON of assets, events, a run's triggering events and lineage."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from dagkeeper import db as database
from dagkeeper.models import AssetEvent, AssetEventQueue, Dag, DagRun, RunType
from dagkeeper.models.asset_events import publish_dag_assets, record_asset_event
from dagkeeper.models.queries import document_of
from dagkeeper.scheduler.assets import create_asset_triggered_runs
from dagkeeper.scheduler.documents import DocumentCache

from .factories import add_user, bearer, document, grant, publish, task

A = {"type": "asset", "uri": "s3://lake/a", "name": "a", "group": "lake", "extra": {"k": 1}}
B = {"type": "asset", "uri": "s3://lake/b", "name": "s3://lake/b", "group": "asset", "extra": {}}
NONE = {"kind": "none", "expression": None, "seconds": None}
T1 = datetime(2024, 5, 1, 12, tzinfo=UTC)
T2 = datetime(2024, 5, 1, 13, tzinfo=UTC)


def _publish(s, doc) -> None:
    publish(s, doc)
    s.flush()
    dag = s.get(Dag, doc["dag_id"])
    publish_dag_assets(s, dag.dag_id, document_of(s, dag.current_version_id))


def _dataset() -> None:
    """producer.make writes a; consumer schedules on a & b; secret (team finance) on b."""
    with database.transaction() as s:
        _publish(s, document("producer", tasks=[task("make", outlets=[A])], schedule=NONE))
        condition = {"type": "all", "objects": [A, B]}
        _publish(s, {**document("consumer", schedule=NONE), "asset_condition": condition})
        _publish(s, {**document("secret", schedule=NONE), "asset_condition": B})
        grant(s, "secret", "finance", edit=True)
        source = {"dag_id": "producer", "run_id": "manual__1", "task_id": "make"}
        record_asset_event(s, A, {"rows": 3}, source=source, now=T1)
        record_asset_event(s, B, {}, created_by="someone", now=T2)


def event(id, asset_id, uri, timestamp, **fields):
    return {
        "id": id, "asset_id": asset_id, "uri": uri, "extra": {}, "source_dag_id": None,
        "source_run_id": None, "source_task_id": None, "source_map_index": -1,
        "source_alias": None, "created_by": None, "timestamp": timestamp.isoformat(), **fields,
    }  # fmt: skip


EVENT_1 = event(1, 1, "s3://lake/a", T1, extra={"rows": 3}, source_dag_id="producer",
                source_run_id="manual__1", source_task_id="make")  # fmt: skip
EVENT_2 = event(2, 2, "s3://lake/b", T2, created_by="someone")


def test_assets_list_with_producers_consumers_and_latest_event(client, db):
    _dataset()
    body = client.get("/api/v1/assets").json
    for asset in body["assets"]:
        assert asset.pop("created_at") and asset.pop("updated_at")
    assert body == {
        "assets": [
            {"id": 1, "uri": "s3://lake/a", "name": "a", "group": "lake", "extra": {"k": 1},
             "consuming_dags": ["consumer"],
             "producing_tasks": [{"dag_id": "producer", "task_id": "make"}],
             "latest_event": EVENT_1},
            {"id": 2, "uri": "s3://lake/b", "name": "s3://lake/b", "group": "asset", "extra": {},
             "consuming_dags": ["consumer", "secret"], "producing_tasks": [],
             "latest_event": EVENT_2},
        ],
        "total_entries": 2,
    }  # fmt: skip
    found = client.get("/api/v1/assets?uri_pattern=/b&order_by=-uri").json
    assert [a["uri"] for a in found["assets"]] == ["s3://lake/b"]
    assert client.get("/api/v1/assets/2").json["consuming_dags"] == ["consumer", "secret"]
    assert client.get("/api/v1/assets/9").status_code == 404


def test_a_dag_the_caller_may_not_read_is_left_out(app, db):
    _dataset()
    outsider = bearer(app, add_user("outsider", "viewer", teams=["marketing"]))
    assets = outsider.get("/api/v1/assets").json["assets"]
    assert [a["consuming_dags"] for a in assets] == [["consumer"], ["consumer"]]


def test_events_are_filtered_and_newest_first(client, db):
    _dataset()
    assert client.get("/api/v1/assets/events").json == {
        "asset_events": [EVENT_2, EVENT_1],
        "total_entries": 2,
    }
    assert client.get("/api/v1/assets/events?source_dag_id=producer").json == {
        "asset_events": [EVENT_1],
        "total_entries": 1,
    }
    late = client.get("/api/v1/assets/events?timestamp_gte=2024-05-01T12:30:00Z&asset_id=2")
    assert late.json["asset_events"] == [EVENT_2]


def test_an_event_created_through_the_api_triggers_the_consumers_run(client, db):
    _dataset()
    response = client.post("/api/v1/assets/events", json={"uri": "s3://lake/a", "extra": {"n": 1}})
    assert response.status_code == 201
    created = response.json
    assert created.pop("timestamp")
    expected = event(3, 1, "s3://lake/a", T1, extra={"n": 1}, created_by="test-admin")
    assert created == {k: v for k, v in expected.items() if k != "timestamp"}
    with database.transaction() as s:
        changes = create_asset_triggered_runs(s, DocumentCache(), datetime(2024, 6, 1, tzinfo=UTC))
    assert changes == [("consumer", "run"), ("secret", "run")]  # secret was waiting for b
    with database.read_session() as s:
        run = s.scalar(select(DagRun).where(DagRun.dag_id == "consumer"))
    assert run.run_type == RunType.ASSET_TRIGGERED
    path = f"/api/v1/dags/consumer/dagRuns/{run.run_id.replace('+', '%2B')}/upstreamAssetEvents"
    triggering = client.get(path).json
    assert [(e["id"], e["uri"]) for e in triggering["asset_events"]] == [
        (1, "s3://lake/a"), (2, "s3://lake/b"), (3, "s3://lake/a"),
    ]  # fmt: skip
    assert triggering["total_entries"] == 3
    by_id = client.post("/api/v1/assets/events", json={"asset_id": 2})
    assert by_id.status_code == 201 and by_id.json["extra"] == {}


def test_an_event_tells_the_live_view_that_assets_changed(client, db):
    """The Assets page refreshes on this change instead of polling on a timer."""
    _dataset()
    token = client.get("/api/v1/health").json["token"]
    client.post("/api/v1/assets/events", json={"uri": "s3://lake/a"})
    changes = client.get(f"/ui/changes?since={token}").json["changes"]
    assert sorted(changes, key=str) == [
        {"dag_id": "consumer", "kind": "run"}, {"dag_id": None, "kind": "asset"},
    ]  # fmt: skip


def test_an_event_that_would_trigger_a_dag_the_caller_may_not_change_is_refused(app, db):
    _dataset()
    outsider = bearer(app, add_user("outsider", "user", teams=["marketing"]))
    response = outsider.post("/api/v1/assets/events", json={"uri": "s3://lake/b"})
    assert response.status_code == 403
    assert response.json["detail"] == "this event would trigger DAGs you may not change: secret"
    with database.read_session() as s:
        assert len(s.scalars(select(AssetEvent.id)).all()) == 2


def test_lineage_links_producers_assets_and_consumers(client, db):
    _dataset()
    assert client.get("/ui/assetLineage").json == {
        "nodes": [
            {"id": "dag:consumer", "kind": "dag", "label": "consumer", "asset_id": None},
            {"id": "dag:producer", "kind": "dag", "label": "producer", "asset_id": None},
            {"id": "dag:secret", "kind": "dag", "label": "secret", "asset_id": None},
            {"id": "asset:1", "kind": "asset", "label": "s3://lake/a", "asset_id": 1},
            {"id": "asset:2", "kind": "asset", "label": "s3://lake/b", "asset_id": 2},
        ],
        "edges": [
            ["asset:1", "dag:consumer"],
            ["asset:2", "dag:consumer"],
            ["asset:2", "dag:secret"],
            ["dag:producer", "asset:1"],
        ],
    }


def test_deleting_a_dag_drops_its_references_and_queued_events(client, db):
    _dataset()
    with database.transaction() as s:
        s.get(Dag, "secret").is_active = False  # its file is gone
    assert client.delete("/api/v1/dags/secret").status_code == 200
    assert client.get("/api/v1/assets/2").json["consuming_dags"] == ["consumer"]
    with database.read_session() as s:
        assert sorted(s.scalars(select(AssetEventQueue.dag_id)).all()) == ["consumer", "consumer"]


def test_lineage_shows_aliases_and_the_assets_they_resolved_to(client, db):
    alias = {"type": "alias", "name": "daily"}
    with database.transaction() as s:
        _publish(s, document("emitter", tasks=[task("emit", outlets=[alias])], schedule=NONE))
        _publish(s, {**document("by_alias", schedule=NONE), "asset_condition": alias})
        record_asset_event(s, {"uri": "s3://lake/x"}, {}, alias="daily")
    assert client.get("/ui/assetLineage").json == {
        "nodes": [
            {"id": "dag:by_alias", "kind": "dag", "label": "by_alias", "asset_id": None},
            {"id": "dag:emitter", "kind": "dag", "label": "emitter", "asset_id": None},
            {"id": "asset:1", "kind": "asset", "label": "s3://lake/x", "asset_id": 1},
            {"id": "alias:1", "kind": "alias", "label": "daily", "asset_id": None},
        ],
        "edges": [
            ["alias:1", "asset:1"],
            ["alias:1", "dag:by_alias"],
            ["dag:emitter", "alias:1"],
        ],
    }

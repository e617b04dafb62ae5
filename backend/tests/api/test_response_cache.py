"""The per-worker response cache may only ever reuse a body built under the current token."""

from __future__ import annotations

from sqlalchemy import update

from dagkeeper import db
from dagkeeper.api.response_cache import Entry, ResponseCache
from dagkeeper.models import ChangeKind, Dag, record_change


def _describe(dag_id: str, text: str, *, announce: bool) -> None:
    with db.transaction() as session:
        session.execute(update(Dag).where(Dag.dag_id == dag_id).values(description=text))
        if announce:
            record_change(session, [(dag_id, ChangeKind.DAG)])


def test_a_change_recorded_in_the_database_is_served_at_once(client, data):
    assert client.get("/api/v1/dags/etl").json["description"] == "the etl pipeline"
    _describe("etl", "new words", announce=True)
    assert client.get("/api/v1/dags/etl").json["description"] == "new words"


def test_an_unchanged_token_reuses_the_body_and_no_cache_bypasses_it(client, data):
    first = client.get("/api/v1/dags/etl")
    # A write that does not advance the token is invisible to the cache by design
    # (every real writer records its change); it shows which path answered.
    _describe("etl", "silent edit", announce=False)
    assert client.get("/api/v1/dags/etl").data == first.data
    fresh = client.get("/api/v1/dags/etl", headers={"Cache-Control": "no-cache"})
    assert fresh.json["description"] == "silent edit"


def test_cached_responses_keep_the_etag_and_worker_header(client, data):
    first = client.get("/api/v1/dags?limit=5")
    second = client.get("/api/v1/dags?limit=5")
    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["X-Dagkeeper-Worker"] == first.headers["X-Dagkeeper-Worker"]
    assert second.headers["Content-Type"] == "application/json"


def test_entries_of_an_older_token_are_misses():
    cache = ResponseCache(max_bytes=1000)
    cache.put("/a", Entry(1, b"x", "application/json"))
    assert cache.get("/a", 1) == Entry(1, b"x", "application/json")
    assert cache.get("/a", 2) is None


def test_the_cache_evicts_least_recently_used_bodies_past_its_byte_budget():
    cache = ResponseCache(max_bytes=400)
    for key in "abcd":
        cache.put(key, Entry(1, b"." * 100, "text/plain"))
    cache.get("a", 1)
    cache.put("e", Entry(1, b"." * 100, "text/plain"))
    assert cache.get("b", 1) is None
    assert cache.get("a", 1) is not None
    assert cache.size_bytes == 400
    cache.put("huge", Entry(1, b"." * 101, "text/plain"))  # over a quarter of the budget
    assert cache.get("huge", 1) is None

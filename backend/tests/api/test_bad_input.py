"""Hostile input, one table: every case gets its status and problem field, and writes nothing.

Each row is (method, path, body, expected status, field named in the
problem's ``errors`` or None). ``body`` is a JSON value, or ``str``/``bytes``
sent as they are (for what a JSON encoder would never produce). A new
endpoint adds its rows here; the test checks every row on both databases and
compares the whole database before and after each one.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from dagkeeper import db
from dagkeeper.models.base import Base

RUNS = "/api/v1/dags/etl/dagRuns"
RUN = f"{RUNS}/scheduled__2024-01-02T00:00:00%2B00:00"
TI = f"{RUN}/taskInstances/transform.clean"
CLEAR = "/api/v1/dags/etl/clearTaskInstances"
BACKFILLS = "/api/v1/backfills"
BF = {"dag_id": "etl", "from_date": "2024-01-03T00:00:00Z", "to_date": "2024-01-04T00:00:00Z",
      "dag_run_conf": {"target": "x"}}  # fmt: skip
BIG = 2**63
BIG32 = 2**31  # version and try numbers are 32-bit columns on PostgreSQL


@dataclasses.dataclass(frozen=True)
class Case:
    method: str
    path: str
    body: Any = None
    status: int = 400
    field: str | None = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


def raw(text: str) -> bytes:
    return text.encode()


CASES = [
    # JSON that Python's parser accepts and JSON does not
    Case("POST", RUNS, raw('{"conf": {"k": "\\ud800"}}'), 400, "conf.k"),
    Case("POST", RUNS, raw('{"conf": {"k": NaN}}'), 400, "conf.k"),
    Case("POST", RUNS, raw('{"conf": {"k": [Infinity]}}'), 400, "conf.k.0"),
    Case("POST", RUNS, raw('{"conf": {"k": 1e999}}'), 400, "conf.k"),
    Case("POST", RUNS, raw('{"conf": {"k": ' + "[" * 5000 + "]" * 5000 + "}}"), 400, "body"),
    Case("POST", RUNS, raw('{"conf": {"n": ' + "9" * 5000 + "}}"), 400, "conf.n"),
    Case("POST", RUNS, {"conf": {"n": BIG}}, 400, "conf.n"),
    Case("POST", RUNS, raw('{"conf": {"k\\u0000": 1}}'), 400, "conf"),
    Case("POST", RUNS, raw('{"conf": {}'), 400, "body"),
    Case("POST", RUNS, b'{"conf": {"k": "\xff"}}', 400, "body"),
    # trigger fields
    Case("POST", RUNS, {"note": "a\x00b"}, 400, "note"),
    Case("POST", RUNS, raw('{"note": "\\udc00"}'), 400, "note"),
    Case("POST", RUNS, {"note": "n" * 1001}, 400, "note"),
    Case("POST", RUNS, raw('{"run_id": "\\ud800"}'), 400, "run_id"),
    Case("POST", RUNS, {"run_id": "a/b"}, 400, "run_id"),
    Case("POST", RUNS, {"run_id": "a?b"}, 400, "run_id"),
    Case("POST", RUNS, {"run_id": "a#b"}, 400, "run_id"),
    Case("POST", RUNS, {"run_id": "   "}, 400, "run_id"),
    Case("POST", RUNS, {"run_id": ""}, 400, "run_id"),
    Case("POST", RUNS, {"run_id": "r" * 251}, 400, "run_id"),
    Case("POST", RUNS, {"logical_date": "9999-12-31T23:59:59-14:00"}, 400, "logical_date"),
    Case("POST", RUNS, {"logical_date": "0001-01-01T00:00:00+14:00"}, 400, "logical_date"),
    Case("POST", RUNS, {"logical_date": "2024-01-01T00:00:00"}, 400, "logical_date"),
    Case("POST", RUNS, {"conf": [1]}, 400, "conf"),
    Case("POST", RUNS, {"conf": {"k": "x" * 70_000}}, 400, "conf"),
    Case("POST", RUNS, {"conf": {"k": "x" * 100_000}}, 413),
    Case("POST", RUNS, {"colour": "red"}, 400, "colour"),
    Case("POST", RUNS, "conf", 400, "_schema"),
    # pausing
    Case("PATCH", "/api/v1/dags/etl", {"is_paused": 1}, 400, "is_paused"),
    Case("PATCH", "/api/v1/dags/etl", {"is_paused": 0}, 400, "is_paused"),
    Case("PATCH", "/api/v1/dags/etl", {"is_paused": "true"}, 400, "is_paused"),
    Case("PATCH", "/api/v1/dags/etl", {"is_paused": None}, 400, "is_paused"),
    Case("PATCH", "/api/v1/dags/etl", b"", 400, "is_paused"),
    Case("PATCH", "/api/v1/dags/etl", b"is_paused=1", 415, headers={"Content-Type": "text/plain"}),
    # marking
    Case("PATCH", RUN, {"state": 1}, 400, "state"),
    Case("PATCH", RUN, {"state": "running"}, 400, "state"),
    Case("PATCH", TI, {"state": "queued"}, 400, "state"),
    # notes
    Case("PATCH", f"{RUN}/setNote", {"note": "n" * 1001}, 400, "note"),
    Case("PATCH", f"{RUN}/setNote", {"note": 5}, 400, "note"),
    Case("PATCH", f"{RUN}/setNote", {"note": "x", "colour": "red"}, 400, "colour"),
    Case("PATCH", f"{RUN}/setNote", {"note": "bell\x07"}, 400, "note"),
    Case("PATCH", f"{RUN}/setNote", {}, 400, "note"),
    Case("PATCH", f"{TI}/setNote", {"note": "n" * 1001}, 400, "note"),
    Case("PATCH", f"{TI}/setNote", {"note": ["a"]}, 400, "note"),
    Case("PATCH", f"{TI}/setNote", {"note": "x", "text": "y"}, 400, "text"),
    Case("PATCH", f"{TI}/setNote", {"note": "esc\x1b[31m"}, 400, "note"),
    Case("PATCH", f"{TI}/setNote", raw('{"note": "\\ud800"}'), 400, "note"),
    # clearing
    Case("POST", CLEAR, {"dag_run_ids": []}, 400, "dag_run_ids"),
    Case("POST", CLEAR, {"dag_run_ids": ["r"] * 1001}, 400, "dag_run_ids"),
    Case("POST", CLEAR, {"dag_run_ids": [f"r{i}" for i in range(125_000)]}, 413),
    Case("POST", CLEAR, {"dag_run_ids": ["x"], "dry_run": 1}, 400, "dry_run"),
    Case("POST", CLEAR, {"dag_run_ids": ["x"], "task_ids": [""]}, 400, "task_ids.0"),
    # settings: variables, connections, pools
    Case("POST", "/api/v1/variables", {"key": "", "value": "v"}, 400, "key"),
    Case("POST", "/api/v1/variables", {"key": "k" * 251, "value": "v"}, 400, "key"),
    Case("POST", "/api/v1/variables", {"key": "k", "value": 5}, 400, "value"),
    Case("POST", "/api/v1/variables", {"key": "k", "value": "a\x00b"}, 400, "value"),
    Case("POST", "/api/v1/variables", raw('{"key": "k", "value": "\\ud800"}'), 400, "value"),
    Case("POST", "/api/v1/variables", {"key": "k"}, 400, "value"),
    Case("PATCH", "/api/v1/variables/k", {"value": ["v"]}, 400, "value"),
    Case("GET", f"/api/v1/variables?offset={BIG}", None, 400, "offset"),
    Case("POST", "/api/v1/connections", {"connection_id": "a b", "conn_type": "http"}, 400,
         "connection_id"),
    Case("POST", "/api/v1/connections", {"connection_id": "c", "conn_type": "http",
                                         "port": 70000}, 400, "port"),
    Case("POST", "/api/v1/connections", {"connection_id": "c", "conn_type": "http",
                                         "extra": "[1]"}, 400, "extra"),
    Case("POST", "/api/v1/connections", {"connection_id": "c", "conn_type": ""}, 400,
         "conn_type"),
    Case("PATCH", "/api/v1/connections/c", {"port": "80"}, 400, "port"),
    Case("GET", "/api/v1/connections?limit=0", None, 400, "limit"),
    Case("POST", "/api/v1/pools", {"name": "p", "slots": -1}, 400, "slots"),
    Case("POST", "/api/v1/pools", {"name": "p", "slots": BIG}, 400, "slots"),
    Case("POST", "/api/v1/pools", {"name": "", "slots": 1}, 400, "name"),
    Case("POST", "/api/v1/pools", {"name": "p", "slots": "1"}, 400, "slots"),
    Case("PATCH", "/api/v1/pools/default_pool", {"slots": 1.5}, 400, "slots"),
    Case("GET", f"/api/v1/pools?offset={BIG}", None, 400, "offset"),
    # accounts: login, tokens, users
    Case("POST", "/auth/login", {"username": "admin"}, 400, "password"),
    Case("POST", "/auth/login", {"username": "", "password": "p"}, 400, "username"),
    Case("POST", "/auth/login", {"username": "a", "password": "p" * 1025}, 400, "password"),
    Case("POST", "/auth/token", {"username": ["admin"], "password": "p"}, 400, "username"),
    Case("POST", "/auth/token", raw('{"username": "\\ud800", "password": "p"}'), 400,
         "username"),
    Case("POST", "/api/v1/tokens", {"name": ""}, 400, "name"),
    Case("POST", "/api/v1/tokens", {"name": "t", "expires_in_days": 0}, 400, "expires_in_days"),
    Case("POST", "/api/v1/tokens", {"name": "t", "expires_in_days": BIG}, 400,
         "expires_in_days"),
    Case("GET", "/api/v1/tokens?all=maybe", None, 400, "all"),
    Case("POST", "/api/v1/users", {"username": "u", "role": "root"}, 400, "role"),
    Case("POST", "/api/v1/users", {"username": "u", "role": "user", "password": "short"}, 400,
         "password"),
    Case("POST", "/api/v1/users", {"username": "u" * 101, "role": "user"}, 400, "username"),
    Case("POST", "/api/v1/users", {"username": "u", "role": "user", "teams": [""]}, 400,
         "teams.0"),
    Case("PATCH", "/api/v1/users/test-admin", {"role": "superuser"}, 400, "role"),
    Case("GET", "/api/v1/eventLogs?outcome=maybe", None, 400, "outcome"),
    Case("GET", "/api/v1/eventLogs?after=2024-01-01T00:00:00", None, 400, "after"),
    # operations
    Case("POST", "/api/v1/parseRequests", {"fileloc": ""}, 400, "fileloc"),
    Case("POST", "/api/v1/parseRequests", {"fileloc": "f" * 1001}, 400, "fileloc"),
    Case("GET", "/api/v1/importErrors?order_by=password", None, 400, "order_by"),
    Case("GET", f"/api/v1/workers?offset={BIG}", None, 400, "offset"),
    Case("GET", f"{RUN}/taskInstances?limit={BIG}", None, 400, "limit"),
    Case("GET", f"{TI}/xcomEntries?limit=0", None, 400, "limit"),
    # views: diff, Gantt, task history, calendar, home
    Case("GET", f"/ui/diff/etl?from={BIG32}&to=1", None, 400, "from"),
    Case("GET", "/ui/diff/etl?from=0&to=1", None, 400, "from"),
    Case("GET", "/ui/task_history/etl/extract?limit=1001", None, 400, "limit"),
    Case("GET", "/ui/calendar/etl?year=99999", None, 400, "year"),
    Case("GET", "/ui/home?hours=0", None, 400, "hours"),
    Case("GET", "/ui/home?limit=51", None, 400, "limit"),
    Case("GET", "/ui/gantt/etl?runid=x", None, 400, "runid"),
    # backfills
    Case("POST", BACKFILLS, {**BF, "from_date": "2024-01-03T00:00:00"}, 400, "from_date"),
    Case("POST", BACKFILLS, {**BF, "to_date": "yesterday"}, 400, "to_date"),
    Case("POST", BACKFILLS, {**BF, "to_date": "2024-01-02T00:00:00Z"}, 400, "to_date"),
    Case("POST", BACKFILLS, {**BF, "to_date": "2030-01-01T00:00:00Z"}, 400, "to_date"),
    Case("POST", BACKFILLS, {**BF, "from_date": "0001-01-01T00:00:00+14:00"}, 400, "from_date"),
    Case("POST", BACKFILLS, {**BF, "reprocess_behavior": "all"}, 400, "reprocess_behavior"),
    Case("POST", BACKFILLS, {**BF, "max_active_runs": 0}, 400, "max_active_runs"),
    Case("POST", BACKFILLS, {**BF, "max_active_runs": 1001}, 400, "max_active_runs"),
    Case("POST", BACKFILLS, {**BF, "max_active_runs": "2"}, 400, "max_active_runs"),
    Case("POST", BACKFILLS, {**BF, "max_active_runs": BIG}, 400, "max_active_runs"),
    Case("POST", BACKFILLS, {**BF, "run_backwards": 1}, 400, "run_backwards"),
    Case("POST", BACKFILLS, {**BF, "dag_run_conf": [1]}, 400, "dag_run_conf"),
    Case("POST", BACKFILLS, {**BF, "dag_run_conf": {}}, 400, "dag_run_conf.target"),
    Case("POST", BACKFILLS, {**BF, "dag_run_conf": {"k": "x" * 70_000}}, 400, "dag_run_conf"),
    Case("POST", BACKFILLS, raw('{"dag_id": "etl", "from_date": "2024-01-03T00:00:00Z", '
                                '"to_date": "2024-01-04T00:00:00Z", "dag_run_conf": {"k": NaN}}'),
         400, "dag_run_conf.k"),
    Case("POST", BACKFILLS, {**BF, "dag_id": ""}, 400, "dag_id"),
    Case("POST", BACKFILLS, {**BF, "dag_id": "nope"}, 404),
    Case("POST", BACKFILLS, {**BF, "colour": "red"}, 400, "colour"),
    Case("POST", BACKFILLS, {"dag_id": "etl"}, 400, "from_date"),
    Case("POST", f"{BACKFILLS}/dry_run", {**BF, "to_date": "2030-01-01T00:00:00Z"}, 400, "to_date"),
    Case("POST", f"{BACKFILLS}/dry_run", {**BF, "max_active_runs": -1}, 400, "max_active_runs"),
    Case("GET", BACKFILLS, None, 400, "dag_id"),
    Case("GET", f"{BACKFILLS}?dag_id=etl&offset={BIG}", None, 400, "offset"),
    Case("GET", f"{BACKFILLS}?dag_id=nope", None, 404),
    Case("GET", f"{BACKFILLS}/{BIG}", None, 404),
    Case("GET", f"{BACKFILLS}/{BIG32}", None, 404),
    Case("PUT", f"{BACKFILLS}/{BIG32}/pause", {}, 404),
    Case("PUT", f"{BACKFILLS}/1/cancel", {}, 404),
    Case("DELETE", f"{BACKFILLS}/1", None, 405),
    # methods come before bodies
    Case("PUT", "/api/v1/dags/etl", {"is_paused": True}, 405),
    Case("PUT", "/api/v1/dags/etl", b"x" * 2_000_000, 405),
    Case("DELETE", "/api/v1/dags", None, 405),
    Case("PUT", "/nothing/here", b"x", 405),
    # integers, dates and NUL in paths and query strings
    Case("GET", f"/api/v1/dags?offset={BIG}", None, 400, "offset"),
    Case("GET", "/api/v1/dags?offset=-1", None, 400, "offset"),
    Case("GET", "/api/v1/dags?limit=0", None, 400, "limit"),
    Case("GET", "/api/v1/dags?limit=1001", None, 400, "limit"),
    Case("GET", f"{RUNS}?offset={BIG}", None, 400, "offset"),
    Case("GET", f"/api/v1/dags/etl/versions?offset={BIG}", None, 400, "offset"),
    Case("GET", f"/api/v1/dags/etl/source?version={BIG}", None, 400, "version"),
    Case("GET", f"/api/v1/dags/etl/source?version={BIG32}", None, 400, "version"),
    Case("GET", f"/api/v1/dags/etl/versions/{BIG}", None, 404),
    Case("GET", f"/api/v1/dags/etl/versions/{BIG32}", None, 404),
    Case("GET", f"{TI}/logs/{BIG32}", None, 404),
    Case("GET", f"{TI}?map_index=-2", None, 400, "map_index"),
    Case("GET", f"{TI}?map_index={BIG32}", None, 400, "map_index"),
    Case("GET", f"{TI}?map_index=x", None, 400, "map_index"),
    Case("GET", f"{TI}/{BIG32}", None, 404),
    Case("GET", f"{TI}/logs/1?map_index={BIG}", None, 400, "map_index"),
    Case("GET", f"{TI}/xcomEntries?map_index=-5", None, 400, "map_index"),
    Case("GET", f"{TI}/xcomEntries/return_value?map_index=x", None, 400, "map_index"),
    Case("GET", f"{TI}/logs/1/download?map_index=-2", None, 400, "map_index"),
    Case("GET", f"{TI}/listMapped?state=done", None, 400, "state"),
    Case("GET", f"{TI}/listMapped?limit=0", None, 400, "limit"),
    Case("GET", f"{TI}/listMapped?offset={BIG}", None, 400, "offset"),
    Case("PATCH", f"{TI}?map_index=-3", {"state": "success"}, 400, "map_index"),
    Case("POST", CLEAR,
         {"dag_run_ids": ["r"], "map_indexes": [-1]}, 400, "map_indexes.0"),
    Case("POST", CLEAR,
         {"dag_run_ids": ["r"], "map_indexes": []}, 400, "map_indexes"),
    Case("POST", CLEAR,
         {"dag_run_ids": ["r"], "map_indexes": ["1"]}, 400, "map_indexes.0"),
    Case("GET", f"{TI}/logs/1?offset={BIG32 - 1}", None, 400, "offset"),
    Case("GET", f"/ui/structure/etl?version={BIG32}", None, 400, "version"),
    Case("GET", f"{TI}/logs/{BIG}", None, 404),
    Case("GET", f"{TI}/logs/1?offset={BIG - 1}", None, 400, "offset"),
    Case("GET", f"/ui/structure/etl?version={BIG}", None, 400, "version"),
    Case("GET", f"/ui/changes?since={BIG}", None, 400, "since"),
    Case("GET", "/ui/grid/etl?limit=100000", None, 400, "limit"),
    Case("GET", f"{RUNS}?logical_date_gte=9999-12-31T23:59:59-14:00", None, 400, "logical_date_gte"),
    Case("GET", "/api/v1/dags/etl%00x", None, 400),
    Case("GET", "/api/v1/dags?search=a%00b", None, 400),
    Case("GET", f"{RUNS}/a%00b", None, 400),
    # assets and asset events
    Case("GET", f"/api/v1/assets?offset={BIG}", None, 400, "offset"),
    Case("GET", "/api/v1/assets?order_by=extra", None, 400, "order_by"),
    Case("GET", "/api/v1/assets?uri_pattern=" + "u" * 1501, None, 400, "uri_pattern"),
    Case("GET", f"/api/v1/assets/{BIG}", None, 404),
    Case("GET", "/api/v1/assets/events?asset_id=0", None, 400, "asset_id"),
    Case("GET", f"/api/v1/assets/events?asset_id={BIG}", None, 400, "asset_id"),
    Case("GET", "/api/v1/assets/events?source_map_index=-2", None, 400, "source_map_index"),
    Case("GET", "/api/v1/assets/events?timestamp_gte=yesterday", None, 400, "timestamp_gte"),
    Case("POST", "/api/v1/assets/events", {}, 400, "asset_id"),
    Case("POST", "/api/v1/assets/events", {"asset_id": 1, "uri": "s3://a/b"}, 400, "asset_id"),
    Case("POST", "/api/v1/assets/events", {"asset_id": "1"}, 400, "asset_id"),
    Case("POST", "/api/v1/assets/events", {"asset_id": BIG}, 400, "asset_id"),
    Case("POST", "/api/v1/assets/events", {"uri": "no-scheme"}, 400, "uri"),
    Case("POST", "/api/v1/assets/events", {"uri": "s3://user:pw@host/x"}, 400, "uri"),
    Case("POST", "/api/v1/assets/events", {"uri": "s3://a/b", "extra": []}, 400, "extra"),
    Case("POST", "/api/v1/assets/events", {"uri": "s3://a/b", "extra": {"k": "x" * 70_000}},
         413),  # the request body cap comes first
    Case("POST", "/api/v1/assets/events", raw('{"uri": "s3://a/b", "extra": {"k": NaN}}'),
         400, "extra.k"),
    Case("POST", "/api/v1/assets/events", {"uri": "s3://a/b", "source_dag_id": "x"}, 400,
         "source_dag_id"),
    Case("POST", "/api/v1/assets/events", {"uri": "s3://lake/unknown"}, 404),
    # DNS rebinding: a name this server was not told to answer for
    Case("GET", "/api/v1/dags", None, 400, headers={"Host": "attacker.example"}),
    Case("PATCH", "/api/v1/dags/etl", {"is_paused": True}, 400,
         headers={"Host": "attacker.example:8080"}),
]  # fmt: skip


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    with db.read_session() as session:
        return {
            table.name: sorted((tuple(row) for row in session.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


def _send(client, case: Case):
    headers = dict(case.headers)
    if isinstance(case.body, bytes):
        data = case.body
        headers.setdefault("Content-Type", "application/json")
    elif case.body is not None:
        data = json.dumps(case.body)
        headers.setdefault("Content-Type", "application/json")
    else:
        data = None
    return client.open(case.path, method=case.method, data=data, headers=headers)


def _problem_with(response, case: Case) -> str | None:
    """Why the response does not meet the case, or None."""
    if response.status_code != case.status:
        return f"status {response.status_code}: {response.get_data(as_text=True)[:300]}"
    if response.content_type != "application/problem+json":
        return f"content type {response.content_type}"
    problem = json.loads(response.get_data())
    if problem["status"] != case.status or not problem["detail"]:
        return f"problem body {problem}"
    if case.field is not None and case.field not in problem.get("errors", {}):
        return f"no {case.field!r} in errors: {problem.get('errors')}"
    return None


def test_every_bad_input_is_refused_with_its_field_and_changes_nothing(client, data):
    failures = []
    # The caller's token records its first use; after that, only a write by a case can change rows.
    assert client.get("/api/v1/dags").status_code == 200
    before = database_rows()
    for case in CASES:
        with _send(client, case) as response:
            problem = _problem_with(response, case)
        if problem is None and database_rows() != before:
            problem = "the database changed"
        if problem is not None:
            failures.append(f"{case.method} {case.path[:80]} {repr(case.body)[:60]}: {problem}")
    assert not failures, "\n".join(failures)


def test_every_endpoint_that_takes_input_has_rows(app):
    """A new endpoint with a body or query schema cannot ship without its hostile-input rows."""
    adapter = app.url_map.bind("localhost")
    covered = set()
    for case in CASES:
        try:
            path = case.path.split("?")[0].replace("%2B", "+")
            covered.add(adapter.match(path, method=case.method)[0])
        except HTTPException:  # rows about paths and methods no endpoint has
            continue
    takes_input = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "_apidoc", {}).get("arguments")
    }
    assert takes_input, "flask-smorest no longer marks the views it parses input for"
    assert takes_input - covered == set(), "add bad-input rows for these endpoints"


def test_the_same_requests_with_good_input_do_write(client, data):
    """The table's refusals are about the input: corrected, the endpoints accept it."""
    assert (
        client.post(
            RUNS, json={"conf": {"target": "x", "k": 1.5}, "run_id": "ok:1+a~b"}
        ).status_code
        == 201
    )
    assert client.patch("/api/v1/dags/etl", json={"is_paused": True}).json["is_paused"] is True
    big = client.post(RUNS, json={"conf": {"target": "x" * 60_000}, "run_id": "big"})
    assert big.status_code == 201
    assert client.post(BACKFILLS, json=BF).status_code == 201

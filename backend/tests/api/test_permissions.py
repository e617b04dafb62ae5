"""Who may call what: every endpoint x every kind of caller, from one table.

``etl`` is granted to team ``finance`` only (read and edit); viewer, user and
op are in that team, ``other_team`` is an op in team ``marketing``, so it
gets 404 on everything under ``etl``. Add an endpoint with one ``E(...)``
line; :func:`test_every_endpoint_is_in_the_table` fails until you do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from dagkeeper import db
from dagkeeper.accounts.tokens import issue_token
from dagkeeper.accounts.users import find_user
from dagkeeper.api.auth import PUBLIC
from dagkeeper.models import Asset, Backfill, Connection, Pool, Role, Variable

from .factories import START, add_user, bearer, grant, standard_dataset

VIEWER, USER, OP, ADMIN = Role.ORDER
RUN = "scheduled__2024-01-02T00:00:00+00:00"
RUN_PATH = "scheduled__2024-01-02T00:00:00%2B00:00"
TI = f"/api/v1/dags/etl/dagRuns/{RUN_PATH}/taskInstances"
PASSWORD = "correct horse battery"
CREDENTIALS = {"username": "pw-user", "password": PASSWORD}
BACKFILL = {"dag_id": "etl", "from_date": "2024-01-01T00:00:00Z",
            "to_date": "2024-01-01T00:00:00Z", "dag_run_conf": {"target": "x"}}  # fmt: skip
# caller -> (role, teams); None: no credentials at all
CALLERS: dict[str, tuple[str, tuple[str, ...]] | None] = {
    "anonymous": None,
    "viewer": (VIEWER, ("finance",)),
    "user": (USER, ("finance",)),
    "op": (OP, ("finance",)),
    "admin": (ADMIN, ()),
    "other_team": (OP, ("marketing",)),
}


@dataclass(frozen=True)
class E:
    """One endpoint: who may call it and what success looks like."""

    method: str
    path: str  # "{own_token}": a fresh token of the caller
    minimum: str  # a role, or PUBLIC
    ok: int = 200
    body: Any = None
    guarded: bool = False  # names the DAG granted to team finance only

    def expected(self, caller: str) -> int:
        if self.minimum == PUBLIC:
            return self.ok
        if CALLERS[caller] is None:
            return 401
        if not Role.at_least(CALLERS[caller][0], self.minimum):
            return 403
        if self.guarded and caller == "other_team":
            return 404
        return self.ok


ENDPOINTS = [
    E("GET", "/api/v1/health", PUBLIC),
    E("GET", "/api/v1/openapi.json", PUBLIC),
    E("GET", "/api/v1/docs", PUBLIC),
    E("GET", "/api/v1/docs.css", PUBLIC),
    E("GET", "/dags/etl/grid", PUBLIC),  # the single-page app's shell
    E("GET", "/assets/missing.js", PUBLIC, 404),
    E("POST", "/auth/login", PUBLIC, body=CREDENTIALS),
    E("POST", "/auth/token", PUBLIC, body=CREDENTIALS),
    E("GET", "/auth/me", VIEWER),
    E("POST", "/auth/logout", VIEWER, 204, body={}),
    E("GET", "/api/v1/dags", VIEWER),
    E("GET", "/api/v1/dags/etl", VIEWER, guarded=True),
    E("PATCH", "/api/v1/dags/etl", USER, body={"is_paused": True}, guarded=True),
    E("GET", "/api/v1/dags/etl/details", VIEWER, guarded=True),
    E("GET", "/api/v1/dags/etl/tasks", VIEWER, guarded=True),
    E("GET", "/api/v1/dags/etl/tasks/load", VIEWER, guarded=True),
    E("GET", "/api/v1/dags/etl/source", VIEWER, guarded=True),
    E("GET", "/api/v1/dags/etl/versions", VIEWER, guarded=True),
    E("GET", "/api/v1/dags/etl/versions/1", VIEWER, guarded=True),
    E("GET", "/api/v1/dags/etl/dagRuns", VIEWER, guarded=True),
    E("POST", "/api/v1/dags/etl/dagRuns", USER, 201, {"conf": {"target": "x"}}, True),
    E("GET", f"/api/v1/dags/etl/dagRuns/{RUN_PATH}", VIEWER, guarded=True),
    E("PATCH", f"/api/v1/dags/etl/dagRuns/{RUN_PATH}", USER, body={"state": "failed"},
      guarded=True),
    E("GET", TI, VIEWER, guarded=True),
    E("GET", f"{TI}/transform.clean", VIEWER, guarded=True),
    E("GET", f"{TI}/transform.clean/logs/1", VIEWER, guarded=True),
    E("GET", f"{TI}/transform.clean/listMapped?state=failed", VIEWER, guarded=True),
    E("GET", f"{TI}/transform.clean/0", VIEWER, 404, guarded=True),  # not mapped: no index 0
    E("PATCH", f"{TI}/load", USER, body={"state": "success"}, guarded=True),
    E("PATCH", f"/api/v1/dags/etl/dagRuns/{RUN_PATH}/setNote", USER, body={"note": "n"},
      guarded=True),
    E("PATCH", f"{TI}/load/setNote", USER, body={"note": "n"}, guarded=True),
    E("POST", "/api/v1/dags/etl/clearTaskInstances", USER, body={"dag_run_ids": [RUN]},
      guarded=True),
    E("GET", "/api/v1/importErrors", VIEWER),
    E("GET", "/api/v1/workers", VIEWER),
    E("GET", "/ui/structure/etl", VIEWER, guarded=True),
    E("GET", "/ui/grid/etl", VIEWER, guarded=True),
    E("GET", "/ui/changes?since=0", VIEWER),
    E("GET", "/api/v1/users", ADMIN),
    E("POST", "/api/v1/users", ADMIN, 201, {"username": "newcomer", "role": "viewer"}),
    E("GET", "/api/v1/users/victim", ADMIN),
    E("PATCH", "/api/v1/users/victim", ADMIN, body={"role": "user"}),
    E("DELETE", "/api/v1/users/victim", ADMIN, 204),
    E("GET", "/api/v1/tokens", VIEWER),
    E("POST", "/api/v1/tokens", VIEWER, 201, {"name": "ci"}),
    E("DELETE", "/api/v1/tokens/{own_token}", VIEWER, 204),
    E("GET", "/api/v1/eventLogs", ADMIN),
    E("GET", f"{TI}/load/xcomEntries", VIEWER, guarded=True),
    E("GET", f"{TI}/load/xcomEntries/missing", VIEWER, 404, guarded=True),
    E("GET", "/api/v1/variables", OP),
    E("POST", "/api/v1/variables", OP, 201, {"key": "v_{caller}", "value": "x"}),
    E("GET", "/api/v1/variables/existing", OP),
    E("PATCH", "/api/v1/variables/existing", OP, body={"value": "y"}),
    E("DELETE", "/api/v1/variables/missing", OP, 404),
    E("GET", "/api/v1/connections", OP),
    E("POST", "/api/v1/connections", OP, 201, {"connection_id": "c_{caller}", "conn_type": "http"}),
    E("GET", "/api/v1/connections/existing", OP),
    E("PATCH", "/api/v1/connections/existing", OP, body={"host": "example.org"}),
    E("DELETE", "/api/v1/connections/missing", OP, 404),
    E("GET", "/api/v1/pools", VIEWER),
    E("POST", "/api/v1/pools", OP, 201, {"name": "p_{caller}", "slots": 2}),
    E("GET", "/api/v1/pools/existing", VIEWER),
    E("PATCH", "/api/v1/pools/existing", OP, body={"slots": 3}),
    E("DELETE", "/api/v1/pools/missing", OP, 404),
    E("GET", "/ui/diff/etl?from=1&to=1", VIEWER, guarded=True),
    E("GET", "/ui/home", VIEWER),
    E("GET", f"/ui/gantt/etl?run_id={RUN_PATH}", VIEWER, guarded=True),
    E("GET", "/ui/task_history/etl/transform.clean", VIEWER, guarded=True),
    E("GET", "/ui/calendar/etl?year=2024", VIEWER, guarded=True),
    E("GET", f"{TI}/transform.clean/logs/1/download", VIEWER, guarded=True),
    E("DELETE", "/api/v1/dags/etl", ADMIN, 409, guarded=True),  # a file still defines it
    E("POST", "/api/v1/parseRequests", OP, 202, {"fileloc": "broken.py"}),
    E("GET", "/api/v1/assets", VIEWER),
    E("GET", "/api/v1/assets/1", VIEWER),
    E("GET", "/api/v1/assets/events", VIEWER),
    E("POST", "/api/v1/assets/events", USER, 201, {"uri": "s3://lake/existing", "extra": {}}),
    E("GET", f"/api/v1/dags/etl/dagRuns/{RUN_PATH}/upstreamAssetEvents", VIEWER, guarded=True),
    E("GET", "/ui/assetLineage", VIEWER),
    E("GET", "/api/v1/backfills?dag_id=etl", VIEWER, guarded=True),
    E("GET", "/api/v1/backfills/1", VIEWER),  # backfill 1 is of DAG reports (no grants)
    E("POST", "/api/v1/backfills/dry_run", USER, body=BACKFILL, guarded=True),
    E("POST", "/api/v1/backfills", USER, 201, BACKFILL, True),  # nothing to run: done at once
    E("PUT", "/api/v1/backfills/1/pause", USER, body={}),
    E("PUT", "/api/v1/backfills/1/unpause", USER, body={}),
    E("PUT", "/api/v1/backfills/1/cancel", USER, body={}),
]  # fmt: skip


def _setup(endpoint: E) -> dict[str, str | None]:
    standard_dataset()
    with db.transaction() as s:
        grant(s, "etl", "finance", edit=True)
    if endpoint.body is CREDENTIALS:
        add_user("pw-user", VIEWER, password=PASSWORD)  # hashing costs 0.1 s: only when used
    add_user("victim", VIEWER)
    with db.transaction() as s:  # one of each row the operational endpoints manage
        s.add_all([Variable(key="existing", value="x"), Pool(pool="existing", slots=1),
                   Connection(conn_id="existing", conn_type="http")])  # fmt: skip
        s.add(Asset(uri="s3://lake/existing", name="existing"))  # id 1
        s.add(Backfill(dag_id="reports", from_date=START, to_date=START,
                       reprocess_behavior="none", max_active_runs=1))  # fmt: skip
    tokens: dict[str, str | None] = {"anonymous": None}
    for caller, spec in CALLERS.items():
        if spec is not None:
            tokens[caller] = add_user(caller, spec[0], teams=spec[1])
    return tokens


def _own_token(caller: str) -> str:
    with db.transaction() as s:
        user = find_user(s, caller)
        return str(issue_token(s, user.id, "to revoke")[0].id) if user else "999999"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_each_caller_gets_the_status_its_role_and_grants_allow(app, endpoint):
    tokens = _setup(endpoint)
    seen, wanted = {}, {}
    # Refusals first: a write that succeeds changes what the next caller finds.
    for caller in sorted(CALLERS, key=lambda c: endpoint.expected(c) < 400):
        path = endpoint.path.replace("{own_token}", _own_token(caller))
        body = json.loads(json.dumps(endpoint.body).replace("{caller}", caller))
        client = bearer(app, tokens[caller])
        with client.open(path, method=endpoint.method, json=body) as response:
            seen[caller], wanted[caller] = response.status_code, endpoint.expected(caller)
    assert seen == wanted


def test_every_endpoint_is_in_the_table(app):
    adapter = app.url_map.bind("localhost")
    covered = {
        adapter.match(e.path.split("?")[0].replace("{own_token}", "1").replace("%2B", "+"),
                      method=e.method)[0]
        for e in ENDPOINTS
    }  # fmt: skip
    registered = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert registered - covered == set(), "add these endpoints to ENDPOINTS"

"""``can_edit`` on DAGs: each caller is told which DAGs it may change, so the UI can say so.

``etl`` is readable by team ``readers`` (read only) and editable by team
``editors``; ``reports`` has no grants, so any ``user`` or higher may change it.
"""

from __future__ import annotations

import pytest

from dagkeeper import db

from .factories import add_user, bearer, grant


@pytest.fixture
def callers(app, client, data):
    with db.transaction() as s:
        grant(s, "etl", "readers")
        grant(s, "etl", "editors", edit=True)
    return {
        "admin": client,
        "reader_op": bearer(app, add_user("reader-op", "op", teams=("readers",))),
        "editor_user": bearer(app, add_user("editor", "user", teams=("editors",))),
        "viewer": bearer(app, add_user("looker", "viewer", teams=("editors",))),
    }


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        ("admin", {"etl": True, "reports": True}),
        ("reader_op", {"etl": False, "reports": True}),
        ("editor_user", {"etl": True, "reports": True}),
        ("viewer", {"etl": False, "reports": False}),
    ],
)
def test_the_dag_list_says_which_dags_the_caller_may_change(callers, caller, expected):
    dags = callers[caller].get("/api/v1/dags").json["dags"]
    assert {d["dag_id"]: d["can_edit"] for d in dags} == expected


@pytest.mark.parametrize(
    ("caller", "can_edit"), [("admin", True), ("reader_op", False), ("viewer", False)]
)
def test_one_dag_and_its_details_carry_the_same_answer(callers, caller, can_edit):
    admin_view = callers["admin"].get("/api/v1/dags/etl").json
    admin_details = callers["admin"].get("/api/v1/dags/etl/details").json
    assert callers[caller].get("/api/v1/dags/etl").json == {**admin_view, "can_edit": can_edit}
    assert callers[caller].get("/api/v1/dags/etl/details").json == {
        **admin_details,
        "can_edit": can_edit,
    }


def test_can_edit_matches_what_the_guard_lets_through(callers):
    """The flag is the guard's own rule: false means a pause is refused, true means it works."""
    for name, client in callers.items():
        can_edit = client.get("/api/v1/dags/etl").json["can_edit"]
        status = client.patch("/api/v1/dags/etl", json={"is_paused": True}).status_code
        assert (name, status) == (name, 200 if can_edit else 403)


def test_a_cached_list_of_one_caller_never_reaches_another(callers):
    first = callers["reader_op"].get("/api/v1/dags").json["dags"]
    second = callers["editor_user"].get("/api/v1/dags").json["dags"]
    assert [d["can_edit"] for d in first] == [False, True]
    assert [d["can_edit"] for d in second] == [True, True]

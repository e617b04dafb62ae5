import pytest

from dagkeeper import db
from dagkeeper.models import ChangeKind
from dagkeeper.models.change import (
    changes_since,
    current_token,
    prune_change_log,
    record_change,
)


def _record(*changes):
    with db.transaction() as session:
        return record_change(session, list(changes))


def _token():
    with db.read_session() as session:
        return current_token(session)


def test_each_recorded_change_advances_the_token_and_logs_what_changed(db):
    start = _token()
    first = _record(("a", ChangeKind.DAG), ("a", ChangeKind.DAG))
    second = _record(("b", ChangeKind.RUN))
    assert (first, second) == (start + 1, start + 2)
    assert _token() == second
    with db_session() as session:
        found, complete = changes_since(session, start)
        assert sorted(found) == [("a", "dag"), ("b", "run")]
        assert complete
        assert changes_since(session, first) == ([("b", "run")], True)


def test_a_rolled_back_change_does_not_advance_the_token(db):
    start = _token()
    with pytest.raises(RuntimeError), db_transaction() as session:
        record_change(session, [("a", ChangeKind.DAG)])
        raise RuntimeError("abort")
    assert _token() == start
    with db_session() as session:
        assert changes_since(session, start) == ([], True)


def test_more_changes_than_the_limit_are_reported_incomplete(db):
    start = _token()
    for index in range(3):
        _record((f"dag{index}", ChangeKind.DAG))
    with db_session() as session:
        found, complete = changes_since(session, start, limit=2)
    assert len(found) == 2
    assert not complete


def test_pruning_keeps_the_newest_tokens_and_marks_older_pollers_incomplete(db):
    start = _token()
    for index in range(5):
        _record((f"dag{index}", ChangeKind.DAG))
    with db_transaction() as session:
        assert prune_change_log(session, keep=2) == 3
    with db_session() as session:
        found, complete = changes_since(session, start + 3)  # the two newest tokens are kept
        assert (sorted(found), complete) == ([("dag3", "dag"), ("dag4", "dag")], True)
        assert changes_since(session, start + 2) == ([], False)  # its rows are gone
        assert changes_since(session, start) == ([], False)
    with db_transaction() as session:
        assert prune_change_log(session, keep=2) == 0


db_session = db.read_session
db_transaction = db.transaction

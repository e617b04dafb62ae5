from dagkeeper import db
from dagkeeper.models import ChangeKind
from dagkeeper.models.change import changes_since, current_token, record_change


def test_each_recorded_change_advances_the_token_and_logs_what_changed(db_url, monkeypatch):
    monkeypatch.setenv("DAGKEEPER_DB_URL", db_url)
    db.configure(db_url)
    with db.read_session() as session:
        start = current_token(session)
    with db.transaction() as session:
        first = record_change(session, [("a", ChangeKind.DAG), ("a", ChangeKind.DAG)])
    with db.transaction() as session:
        second = record_change(session, [("b", ChangeKind.RUN)])
    with db.read_session() as session:
        assert (first, second) == (start + 1, start + 2)
        assert current_token(session) == second
        assert changes_since(session, start) in (
            [("a", "dag"), ("b", "run")],
            [("b", "run"), ("a", "dag")],
        )
        assert changes_since(session, first) == [("b", "run")]
    db.dispose()


def test_a_rolled_back_change_does_not_advance_the_token(db):
    with db_session() as session:
        start = current_token(session)
    try:
        with db_transaction() as session:
            record_change(session, [("a", ChangeKind.DAG)])
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    with db_session() as session:
        assert current_token(session) == start
        assert changes_since(session, start) == []


db_session = db.read_session
db_transaction = db.transaction

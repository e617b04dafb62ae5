"""The DAG list's search and owner order at 100,000 DAGs: an index, not every row (issue 19)."""

import pytest
from sqlalchemy import insert

from dagkeeper.db import engine, read_session, transaction
from dagkeeper.models import Dag, queries

DAGS = [
    ("etl_a_b", "loads the warehouse", "alice"),
    ("etl_axb", "a 100% rewrite", "bob"),
    ("reports", "monthly figures", "carol"),
] + [(f"filler_{i:05d}", f"filler number {i}", "dave") for i in range(20_000)]


@pytest.fixture
def listed(db):
    with transaction() as session:
        session.execute(
            insert(Dag),
            [{"dag_id": dag_id, "description": description, "owners": owner,
              "fileloc": f"{dag_id}.py", "schedule_kind": "none"}
             for dag_id, description, owner in DAGS],
        )  # fmt: skip
    if db.startswith("postgresql"):  # as autovacuum would: statistics, GIN pending list flushed
        with engine().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE dag")
    return db


def _page(**filters) -> list[str]:
    with read_session() as session:
        rows = queries.select_dag_page(session, queries.DagFilters(**filters), "dag_id", 50, 0)
        return [row.dag_id for row in rows]


def test_search_matches_its_text_literally_in_any_case(listed):
    assert _page(search="A_B") == ["etl_a_b"]
    assert _page(search="100%") == ["etl_axb"]
    assert _page(search="MONTHLY") == ["reports"]


def _plan(filters: queries.DagFilters, order_by: str) -> str:
    _count, page = queries._list_statements(queries._shape(filters), order_by)
    values = queries._values(filters) | {"limit": 50, "offset": 0}
    with read_session() as session:
        connection = session.connection()
        compiled = page.compile(dialect=connection.dialect)
        plan = connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.construct_params(values))
        return "\n".join(plan.scalars())


def test_search_and_owner_order_read_an_index_on_postgresql(listed):
    if not listed.startswith("postgresql"):
        pytest.skip("trigram indexes are PostgreSQL's")
    search = _plan(queries.DagFilters(search="warehouse"), "dag_id")
    assert "ix_dag_dag_id_trgm" in search and "ix_dag_description_trgm" in search
    by_owner = _plan(queries.DagFilters(), "owners")
    assert "ix_dag_active_owners" in by_owner and "Sort" not in by_owner

"""The DAG list's maintained counts (migration 0022b) equal an exact count after any write.

Each step changes DAGs the way some writer does (publication, a pause, a
deactivation, a tag change, a deletion, an operator's SQL); after each, every
count the list can ask for is compared with ``count(*)`` over the rows.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update

from dagkeeper import db as database
from dagkeeper.models import Dag, DagListCount, DagTag
from dagkeeper.models.dag_counts import FoldRaced, counted_dags, fold_all_counts, fold_counts
from dagkeeper.models.queries import DagFilters, count_dags

from .factories import document, publish

TAGS = ("finance", "ops", "ml")


def _exact(s, tag: str | None, paused: bool | None) -> int:
    query = select(func.count()).select_from(Dag).where(Dag.is_active.is_(True))
    if tag is not None:
        query = query.where(Dag.tags.any(DagTag.name == tag))
    if paused is not None:
        query = query.where(Dag.is_paused == paused)
    return s.scalar(query)


def _assert_counts_exact() -> dict:
    with database.transaction() as s:
        seen = {}
        for tag in (None, *TAGS):
            for paused in (None, True, False):
                seen[tag, paused] = counted_dags(s, tag, paused)
                assert seen[tag, paused] == _exact(s, tag, paused), (tag, paused)
        return seen


def test_counts_follow_every_kind_of_write_and_survive_folding(db):
    with database.transaction() as s:
        for i in range(12):
            tags = [TAGS[i % 3]] + (["ops"] if i % 4 == 0 else [])
            publish(s, document(f"dag_{i:02}", tags=tags), is_paused=i % 5 == 0)
    assert _assert_counts_exact()[None, None] == 12
    with database.transaction() as s:  # pause and unpause (the API's PATCH)
        s.get(Dag, "dag_01").is_paused = True
        s.get(Dag, "dag_00").is_paused = False
        publish(s, document("dag_02", tags=["ml", "finance"]))  # re-published: a tag more
    _assert_counts_exact()
    with database.transaction() as s:  # the processor deactivates DAGs whose file went
        s.execute(update(Dag).where(Dag.dag_id.in_(["dag_03", "dag_04"])).values(is_active=False))
        publish(s, document("dag_05", tags=[]))  # every tag removed
    assert _assert_counts_exact()[None, None] == 10
    with database.transaction() as s:
        assert fold_counts(s) > 0
        keys = s.execute(select(DagListCount.tag, DagListCount.paused)).all()
        assert len(keys) == len(set(keys))  # one row per key after a fold
    _assert_counts_exact()
    with database.transaction() as s:  # setting the values they had logs no delta
        before = s.scalar(select(func.count()).select_from(DagListCount))
        s.execute(update(Dag).values(is_active=Dag.is_active, is_paused=Dag.is_paused))
        assert s.scalar(select(func.count()).select_from(DagListCount)) == before
    with database.transaction() as s:  # an inactive DAG changes: nothing to count
        s.execute(update(Dag).where(Dag.dag_id == "dag_03").values(is_paused=True))
        s.execute(update(Dag).where(Dag.dag_id == "dag_04").values(is_active=True))
        s.execute(text("UPDATE dag_tag SET name = 'ml' WHERE dag_id = 'dag_06' AND name = 'ops'"))
        s.execute(delete(Dag).where(Dag.dag_id.in_(["dag_07", "dag_08"])))  # tags cascade
    assert _assert_counts_exact()[None, None] == 9
    assert fold_all_counts(database.transaction) > 0
    assert fold_all_counts(database.transaction) == 0  # already folded
    _assert_counts_exact()


def test_the_list_sums_counts_for_its_common_filters_and_counts_rows_otherwise(db):
    with database.transaction() as s:
        for i in range(4):
            publish(s, document(f"dag_{i}", tags=["ops"] if i < 3 else ["ml"]))
        s.execute(update(Dag).where(Dag.dag_id == "dag_0").values(has_import_errors=True))
        # an operator bypassing the triggers would make the sums drift: that drift shows
        # which filters are answered from the sums
        s.execute(
            text("INSERT INTO dag_list_count (tag, paused, delta) VALUES ('ops', :no, 100)"),
            {"no": False},
        )
    with database.transaction() as s:
        assert count_dags(s, DagFilters(tags=["ops"])) == 103  # summed
        assert count_dags(s, DagFilters()) == 4  # summed, the '' key untouched
        assert count_dags(s, DagFilters(tags=["ops", "ml"])) == 4  # two tags: counted
        assert count_dags(s, DagFilters(tags=["ops"], search="dag")) == 3
        assert count_dags(s, DagFilters(tags=["ops"], has_import_errors=False)) == 2
        assert count_dags(s, DagFilters(tags=["ops"], readable_by=["user:x"])) == 3  # no grants
        assert count_dags(s, DagFilters(tags=["ops"], only_active=False)) == 3


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_folders_racing_lose_no_delta(db):
    with database.transaction() as s:
        for i in range(3):
            publish(s, document(f"dag_{i}", tags=["ops"]))
    with pytest.raises(FoldRaced), database.transaction() as s:
        read = s.execute

        def read_then_race(statement, *args, **kwargs):
            result = read(statement, *args, **kwargs)
            if s.info.setdefault("raced", False):
                return result
            s.info["raced"] = True
            rows = result.freeze()  # this folder has read the rows...
            with database.transaction() as other:  # ...when another folds them and commits
                assert fold_counts(other) == 6  # three DAGs, each with a tag
            return rows()

        s.execute = read_then_race  # type: ignore[method-assign]
        fold_counts(s)
    _assert_counts_exact()  # the first fold rolled back: nothing counted twice

import hashlib
import json
from datetime import UTC, datetime

import pytest

from dagkeeper.serialization import (
    DocumentError,
    build_structure,
    derive,
    digest,
    dumps,
    jsonable,
    loads,
)


def task(task_id, group=None, **extra):
    return {
        "task_id": task_id, "label": task_id.rsplit(".", 1)[-1], "operator": "EmptyOperator",
        "group": group, "retries": 0, "retry_delay": 300, "trigger_rule": "all_success",
        "execution_timeout": None, "owner": "team", "doc_md": None, "template_fields": [],
        "template_values": {}, "ui_color": "#fff", "ui_fgcolor": "#000", **extra,
    }  # fmt: skip


def group(group_id, parent=None):
    return {"group_id": group_id, "label": group_id.rsplit(".", 1)[-1], "parent": parent,
            "tooltip": None, "ui_color": "#eee", "ui_fgcolor": "#000"}  # fmt: skip


def document(**overrides):
    base = {
        "dag_id": "etl", "description": "d", "doc_md": None,
        "schedule": {"kind": "cron", "expression": "0 * * * *", "seconds": None},
        "timezone": "UTC", "start_date": "2024-01-01T00:00:00+00:00", "end_date": None,
        "catchup": False, "max_active_runs": 16, "max_active_tasks": 16,
        "owners": ["team"], "tags": ["b", "a"], "params": {}, "default_args": {},
        "tasks": [task("load"), task("extract")], "task_groups": [],
        "edges": [["extract", "load"]],
    }  # fmt: skip
    base.update(overrides)
    return base


def test_dumps_writes_sorted_compact_json_with_the_format_version():
    data = dumps(document())
    assert data.startswith(b'{"catchup":false,"dag_id":"etl",')
    parsed = json.loads(data)
    assert parsed["format"] == 1
    assert [t["task_id"] for t in parsed["tasks"]] == ["extract", "load"]
    assert parsed["tags"] == ["a", "b"]
    assert b", " not in data and b": " not in data


def test_definition_order_does_not_change_the_bytes():
    one = document(tasks=[task("a"), task("b"), task("c")], edges=[["a", "b"], ["b", "c"]],
                   tags=["x", "y"], owners=["o2", "o1"])  # fmt: skip
    two = document(tasks=[task("c"), task("a"), task("b")], edges=[["b", "c"], ["a", "b"]],
                   tags=["y", "x", "y"], owners=["o1", "o2"])  # fmt: skip
    assert dumps(one) == dumps(two)


def test_digest_is_the_sha256_of_the_bytes():
    data = dumps(document())
    assert digest(data) == hashlib.sha256(data).hexdigest()


def test_whole_floats_are_written_as_ints():
    data = json.loads(dumps(document(tasks=[task("a", retry_delay=300.0, execution_timeout=1.5)],
                                     edges=[])))  # fmt: skip
    assert data["tasks"][0]["retry_delay"] == 300
    assert isinstance(data["tasks"][0]["retry_delay"], int)
    assert data["tasks"][0]["execution_timeout"] == 1.5


def test_values_that_are_not_json_become_short_reprs_without_addresses():
    class Thing:
        pass

    def callback():
        pass

    value = jsonable({"obj": Thing(), "fn": callback, "when": datetime(2024, 1, 1, tzinfo=UTC),
                      "set": {3, 1, 2}, "tuple": (1, 2)})  # fmt: skip
    assert value["obj"].startswith("<") and "0x" not in value["obj"]
    assert value["fn"].startswith("<callable ") and value["fn"].endswith("callback>")
    assert value["when"] == "2024-01-01T00:00:00+00:00"
    assert value["set"] == [1, 2, 3]
    assert value["tuple"] == [1, 2]
    assert len(jsonable("x" * 1000)) == 1000  # strings are data, not reprs
    long_repr = jsonable(type("Big", (), {"__repr__": lambda self: "<" + "x" * 500 + ">"})())
    assert len(long_repr) == 200 and long_repr.endswith("...")  # reprs are cut short


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"surprise": 1}, "surprise"),
        ({"schedule": {"kind": "weekly", "expression": None, "seconds": None}}, "schedule"),
        ({"schedule": {"kind": "timedelta", "expression": None, "seconds": None}}, "schedule"),
        ({"max_active_runs": 0}, "max_active_runs"),
        ({"tasks": [task("a", trigger_rule="sometimes")], "edges": []}, "tasks"),
        ({"tasks": [task("a")], "edges": [["a", "ghost"]]}, "edges"),
        ({"tasks": [task("a", group="nowhere")], "edges": []}, "tasks"),
        ({"task_groups": [group("g", parent="missing")]}, "task_groups"),
        ({"tasks": [task("a"), task("a")], "edges": []}, "tasks"),
    ],
)
def test_invalid_documents_are_rejected_naming_the_field(overrides, field):
    with pytest.raises(DocumentError) as error:
        dumps(document(**overrides))
    assert field in error.value.messages


def test_loads_returns_typed_tasks_groups_and_adjacency():
    data = dumps(document(tasks=[task("g.a", group="g"), task("b")], task_groups=[group("g")],
                          edges=[["g.a", "b"]]))  # fmt: skip
    doc = loads(data)
    assert doc.dag_id == "etl"
    assert doc.start_date == datetime(2024, 1, 1, tzinfo=UTC)
    assert doc.tasks["g.a"].group == "g"
    assert doc.task_groups["g"].label == "g"
    assert doc.upstream == {"g.a": [], "b": ["g.a"]}
    assert doc.downstream == {"g.a": ["b"], "b": []}
    assert doc.edges == [("g.a", "b")]


def test_loads_rejects_a_document_of_another_format():
    raw = json.loads(dumps(document()))
    raw["format"] = 2
    with pytest.raises(DocumentError) as error:
        loads(json.dumps(raw))
    assert "format" in error.value.messages


def test_structure_lists_tasks_in_tree_order_by_depth_then_id():
    data = dumps(document(
        tasks=[task("start"), task("grp.z_first", group="grp"), task("grp.a_second", group="grp"),
               task("end"), task("side")],
        task_groups=[group("grp")],
        edges=[["start", "grp.z_first"], ["grp.z_first", "grp.a_second"], ["grp.a_second", "end"]],
    ))  # fmt: skip
    structure = json.loads(derive(loads(data)).structure)
    assert [n["id"] for n in structure["nodes"]] == [
        "side", "start", "grp.z_first", "grp.a_second", "end"
    ]  # fmt: skip
    assert structure["roots"] == [
        {"type": "task", "id": "side"}, {"type": "task", "id": "start"},
        {"type": "group", "id": "grp"}, {"type": "task", "id": "end"},
    ]  # fmt: skip
    assert structure["groups"][0]["children"] == [
        {"type": "task", "id": "grp.z_first"}, {"type": "task", "id": "grp.a_second"}
    ]  # fmt: skip
    assert structure["edges"] == json.loads(data)["edges"]
    assert derive(loads(data)) == derive(loads(data))


def test_derived_task_order_is_the_structure_tree_order_and_relations_read_back_equal():
    data = dumps(document(
        tasks=[task("start"), task("grp.b", group="grp"), task("grp.a", group="grp"), task("end")],
        task_groups=[group("grp")],
        edges=[["start", "grp.b"], ["grp.b", "grp.a"], ["grp.a", "end"], ["start", "end"]],
    ))  # fmt: skip
    parsed = loads(data)
    derived = derive(parsed)
    assert json.loads(derived.task_order) == ["start", "grp.b", "grp.a", "end"]
    assert json.loads(derived.task_order) == [
        n["id"] for n in json.loads(derived.structure)["nodes"]
    ]
    stored = loads(data, validate=False, relations=derived.relations)
    assert stored == parsed
    assert stored.upstream["end"] == ["grp.a", "start"]
    assert stored.downstream["start"] == ["end", "grp.b"]
    assert stored.relations.run_order == ["start", "grp.b", "grp.a", "end"]


def test_retry_delay_of_a_task_the_version_lacks_is_zero():
    parsed = loads(dumps(document()))
    assert parsed.retry_delay("load", 1) == 300
    assert parsed.retry_delay("gone", 1) == 0.0


def test_the_peers_fields_round_trip_and_are_validated():
    doc = document(
        tasks=[task("extract", is_setup=True, priority_weight=4, weight_rule="upstream",
                    pool="db", pool_slots=2, queue="q", executor_config={"cpu": 1},
                    max_retry_delay=60),
               task("load", is_teardown=True, on_failure_fail_dagrun=True,
                    trigger_rule="all_done_setup_success", display_name="Load it")],
        edge_labels=[["extract", "load", "then"]], display_name="ETL", dagrun_timeout=30,
        is_paused_upon_creation=True,
    )  # fmt: skip
    loaded = loads(dumps(doc))
    extract = loaded.tasks["extract"]
    assert (extract.is_setup, extract.priority_weight, extract.weight_rule, extract.pool,
            extract.pool_slots, extract.queue, extract.executor_config, extract.max_retry_delay) == (
        True, 4, "upstream", "db", 2, "q", {"cpu": 1}, 60)  # fmt: skip
    assert loaded.tasks["load"].on_failure_fail_dagrun
    assert (loaded.edge_labels, loaded.display_name, loaded.dagrun_timeout) == (
        {("extract", "load"): "then"}, "ETL", 30)  # fmt: skip
    assert loaded.is_paused_upon_creation is True
    structure = build_structure(loads(dumps(doc)))
    assert structure["edge_labels"] == [["extract", "load", "then"]]
    assert [n["role"] for n in structure["nodes"]] == ["setup", "teardown"]
    assert [n["label"] for n in structure["nodes"]] == ["extract", "Load it"]  # display names


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"edge_labels": [["load", "extract", "x"]]}, "edge_labels"),
        ({"tasks": [task("extract", weight_rule="sideways"), task("load")]}, "tasks"),
        ({"tasks": [task("extract", pool_slots=0), task("load")]}, "tasks"),
        ({"tasks": [task("extract", trigger_rule="sometimes"), task("load")]}, "tasks"),
    ],
)
def test_bad_values_of_the_peers_fields_are_rejected(overrides, field):
    with pytest.raises(DocumentError) as error:
        dumps(document(**overrides))
    assert field in error.value.messages


def test_a_task_documents_retry_delay_grows_with_exponential_backoff():
    plain = loads(dumps(document(tasks=[task("extract", retry_delay=10), task("load")])))
    assert [plain.tasks["extract"].retry_delay_after(n) for n in (1, 2, 3)] == [10, 10, 10]
    doc = document(tasks=[task("extract", retry_delay=10, retry_exponential_backoff=True,
                               max_retry_delay=30), task("load")])  # fmt: skip
    backoff = loads(dumps(doc)).tasks["extract"]
    assert [backoff.retry_delay_after(n) for n in (1, 2, 3, 4)] == [10, 20, 30, 30]


def test_a_recurring_task_is_validated_once_and_still_checked_against_its_document(monkeypatch):
    from dagkeeper.serialization.schemas import TaskSchema

    loaded = []
    load = TaskSchema.load
    monkeypatch.setattr(
        TaskSchema,
        "load",
        lambda self, data, **kw: loaded.append(data["task_id"]) or load(self, data, **kw),
    )
    shared = task("shared_task_of_many_dags", group="g", retries=2)
    for index in range(50):
        dumps(document(dag_id=f"dag_{index}", tasks=[shared], task_groups=[group("g")], edges=[]))
    assert loaded == ["shared_task_of_many_dags"]
    with pytest.raises(DocumentError) as error:  # same task, but its group is missing here
        dumps(document(tasks=[shared], task_groups=[], edges=[]))
    assert "tasks" in error.value.messages
    with pytest.raises(DocumentError) as error:  # a value that differs is checked anew
        dumps(document(tasks=[{**shared, "retries": -1}], task_groups=[group("g")], edges=[]))
    assert "tasks" in error.value.messages

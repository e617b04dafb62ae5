"""The peer's task API at definition time: arguments, dates, rules, labels, groups, setups."""

import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pendulum
import pytest

from dagkeeper import (
    DAG,
    Label,
    TaskGroup,
    TriggerRule,
    XComArg,
    get_current_context,
    setup,
    task,
    task_group,
    teardown,
)
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.authoring.to_document import serialize_dag
from dagkeeper.operators import (
    BranchPythonOperator,
    EmptyOperator,
    PythonOperator,
    PythonVirtualenvOperator,
    ShortCircuitOperator,
)
from dagkeeper.serialization import build_structure, loads

PEER_TASK_ARGUMENTS = dict(
    depends_on_past=True, wait_for_downstream=True, task_display_name="Nice name",
    priority_weight=5, weight_rule="upstream", pool="db", pool_slots=2, queue="gpu",
    executor_config={"memory": "1Gi"}, do_xcom_push=False, multiple_outputs=True,
    retry_exponential_backoff=True, max_retry_delay=timedelta(minutes=10), email=["a@b.c"],
    email_on_failure=True, email_on_retry=False, on_execute_callback=print,
    on_success_callback=[print], on_failure_callback=print, on_retry_callback=print,
    sla=timedelta(hours=1), doc_rst="Some *rst*.", run_as_user="nobody", outlets=[],
)  # fmt: skip


def test_the_peers_task_arguments_are_accepted_and_stored():
    with DAG("d") as d:
        EmptyOperator(task_id="t", **PEER_TASK_ARGUMENTS)
    doc = loads(d.to_bytes()).tasks["t"]
    assert (doc.depends_on_past, doc.wait_for_downstream, doc.display_name) == (
        True,
        True,
        "Nice name",
    )
    assert (doc.priority_weight, doc.weight_rule, doc.pool, doc.pool_slots, doc.queue) == (
        5, "upstream", "db", 2, "gpu",
    )  # fmt: skip
    assert (doc.executor_config, doc.do_xcom_push, doc.multiple_outputs) == ({"memory": "1Gi"},
                                                                            False, True)  # fmt: skip
    assert (doc.retry_exponential_backoff, doc.max_retry_delay) == (True, 600)
    assert doc.doc_md == "```rst\nSome *rst*.\n```"


def test_wait_for_downstream_implies_depends_on_past():
    with DAG("d"):
        t = EmptyOperator(task_id="t", wait_for_downstream=True)
    assert t.depends_on_past


def test_an_unknown_argument_is_still_an_error_naming_the_task_and_the_argument():
    with DAG("d"), pytest.raises(TypeError, match=r"task_id 't'.*'colour'"):
        EmptyOperator(task_id="t", colour="red")
    with pytest.raises(TypeError, match="'colour'"):
        DAG("d2", colour="red")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"weight_rule": "sideways"}, "Unknown weight rule 'sideways'"),
        ({"priority_weight": "high"}, "Invalid priority_weight 'high'"),
        ({"pool_slots": 0}, "Invalid pool_slots 0"),
        ({"trigger_rule": "sometimes"}, "Unknown trigger rule 'sometimes'"),
        ({"on_success_callback": "not callable"}, "on_success_callback of task 't'"),
    ],
)
def test_bad_peer_arguments_are_explained(arguments, message):
    with DAG("d"), pytest.raises(DagDefinitionError, match=message):
        EmptyOperator(task_id="t", **arguments)


def test_the_peers_dag_arguments_are_accepted_and_stored():
    with DAG(
        "d", dagrun_timeout=timedelta(minutes=5), dag_display_name="Pretty", default_view="grid",
        orientation="TB", is_paused_upon_creation=True, render_template_as_native_obj=True,
        user_defined_macros={"x": 1}, user_defined_filters={"f": str}, template_searchpath="/tpl",
        on_success_callback=print, on_failure_callback=print, sla_miss_callback=print,
        schedule_interval="@hourly", jinja_environment_kwargs={"trim_blocks": True},
    ) as d:  # fmt: skip
        EmptyOperator(task_id="t")
    doc = loads(d.to_bytes())
    assert (doc.dagrun_timeout, doc.display_name, doc.is_paused_upon_creation) == (
        300,
        "Pretty",
        True,
    )
    assert doc.schedule["expression"] == "@hourly"
    assert d.template_searchpath == ["/tpl"]


def test_pendulum_datetimes_and_durations_are_accepted_everywhere():
    start = pendulum.datetime(2024, 3, 1, 8, tz="Europe/Paris")
    with DAG("d", start_date=start, end_date=pendulum.datetime(2025, 1, 1),
             default_args={"retry_delay": pendulum.duration(minutes=2)}) as d:  # fmt: skip
        t = EmptyOperator(task_id="t")
    assert type(d.start_date) is datetime and d.start_date.tzinfo == ZoneInfo("Europe/Paris")
    assert d.timezone == "Europe/Paris"
    assert d.start_date.astimezone(UTC) == datetime(2024, 3, 1, 7, tzinfo=UTC)
    assert t.retry_delay_seconds == 120
    fixed = DAG("f", start_date=pendulum.datetime(2024, 1, 1, tz=pendulum.fixed_timezone(3600)))
    assert fixed.start_date.tzinfo == timezone(timedelta(hours=1)) and fixed.timezone == "UTC"


def test_trigger_rules_as_the_enum_or_strings():
    with DAG("d") as d:
        a = EmptyOperator(task_id="a", trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
        b = EmptyOperator(task_id="b", trigger_rule="one_done")
    assert (a.trigger_rule, b.trigger_rule) == ("none_failed_min_one_success", "one_done")
    assert json.loads(d.to_bytes())["tasks"][0]["trigger_rule"] == "none_failed_min_one_success"
    assert {r.value for r in TriggerRule} >= {
        "none_failed_min_one_success", "one_done", "all_done_min_one_success",
        "all_done_setup_success", "always", "all_skipped", "none_skipped",
    }  # fmt: skip


def test_labels_name_the_edges_they_sit_on_and_reach_the_structure():
    with DAG("d") as d:
        a, b, c, e = (EmptyOperator(task_id=i) for i in "abce")
        a >> Label("yes") >> [b, c]
        [b, c] >> Label("join") >> e
        a.set_downstream(e, edge_modifier=Label("direct"))
    assert d.edge_labels == {("a", "b"): "yes", ("a", "c"): "yes", ("b", "e"): "join",
                             ("c", "e"): "join", ("a", "e"): "direct"}  # fmt: skip
    structure = build_structure(loads(d.to_bytes()))
    assert ["a", "b", "yes"] in structure["edge_labels"]
    assert loads(d.to_bytes()).edge_labels[("a", "e")] == "direct"


def test_a_label_needs_tasks_on_both_sides():
    with DAG("d"):
        a = EmptyOperator(task_id="a")
        with pytest.raises(DagDefinitionError, match="must sit between two tasks"):
            Label("x") >> a


def test_setup_and_teardown_tasks_get_their_rule_edges_and_look():
    with DAG("d") as d:
        create = EmptyOperator(task_id="create").as_setup()
        work = EmptyOperator(task_id="work")
        delete = EmptyOperator(task_id="delete").as_teardown(setups=create)
        create >> work >> delete

        @setup
        def make():
            return 1

        @teardown(on_failure_fail_dagrun=True)
        def clean(x):
            pass

        clean(make())
    assert delete.trigger_rule == "all_done_setup_success" and "create" in delete.upstream_task_ids
    doc = loads(d.to_bytes())
    assert (doc.tasks["make"].is_setup, doc.tasks["clean"].is_teardown) == (True, True)
    assert doc.tasks["clean"].on_failure_fail_dagrun
    roles = {n["id"]: n["role"] for n in build_structure(loads(d.to_bytes()))["nodes"]}
    assert roles == {"create": "setup", "make": "setup", "work": None, "delete": "teardown",
                     "clean": "teardown"}  # fmt: skip
    with pytest.raises(DagDefinitionError, match="both setup and teardown"):
        create.as_teardown()


def test_task_group_decorator_builds_a_group_per_call_with_arguments():
    @task
    def double(x):
        return x * 2

    @task_group(tooltip="doubles twice")
    def twice(x):
        """ignored: tooltip given"""
        return double(double(x))

    @task_group
    def empty():
        """Nothing inside."""

    with DAG("d") as d:
        first = twice(1)
        second = twice.override(group_id="other")(first)
        group = empty()
    assert isinstance(first, XComArg) and first.task_id == "twice.double__1"
    assert d.get_task("other.double").upstream_task_ids == {"twice.double__1"}
    assert second.task_id == "other.double__1"
    assert set(d.task_group_dict) == {"twice", "other", "empty"}
    assert isinstance(group, TaskGroup) and group.tooltip == "Nothing inside."
    assert d.task_group_dict["twice"].tooltip == "doubles twice"
    with DAG("d2") as d2:
        twice(1)
        twice(2)
    assert set(d2.task_group_dict) == {"twice", "twice__1"}


def test_task_kinds_multiple_outputs_and_keyed_results():
    @task
    def stats() -> dict[str, int]:
        return {"n": 1}

    @task.branch
    def pick():
        return "a"

    @task.short_circuit
    def go():
        return True

    with DAG("d"):
        result = stats()
        b, s = pick(), go()
        op = PythonOperator(task_id="p", python_callable=print)
    assert result.operator.multiple_outputs
    assert (result["n"].key, result["n"].task_id) == ("n", "stats")
    assert isinstance(b.operator, BranchPythonOperator) and isinstance(
        s.operator, ShortCircuitOperator
    )
    assert op.output.task_id == "p" and repr(XComArg(op, key="k")) == "XComArg('p', key='k')"


def test_a_virtualenv_callable_must_have_readable_source():
    with DAG("d"), pytest.raises(DagDefinitionError, match="not a plain function"):
        PythonVirtualenvOperator(task_id="v", python_callable=lambda: 1)


def test_get_current_context_outside_a_task_explains_itself():
    with pytest.raises(RuntimeError, match="outside a running task"):
        get_current_context()


def test_documents_stored_before_the_new_fields_still_load():
    with DAG("old") as d:
        EmptyOperator(task_id="t")
    raw = serialize_dag(d)
    for name in ("edge_labels", "display_name", "dagrun_timeout", "is_paused_upon_creation"):
        raw.pop(name)
    raw["tasks"] = [{k: v for k, v in raw["tasks"][0].items() if k in (
        "task_id", "label", "operator", "group", "retries", "retry_delay", "trigger_rule",
        "execution_timeout", "owner", "doc_md", "template_fields", "template_values", "ui_color",
        "ui_fgcolor")}]  # fmt: skip
    doc = loads(json.dumps({"format": 1, **raw}))
    assert (doc.tasks["t"].priority_weight, doc.tasks["t"].pool, doc.edge_labels) == (
        1,
        "default_pool",
        {},
    )


def test_a_teardown_used_as_a_context_surrounds_the_tasks_made_inside():
    @setup
    def create():
        return "c"

    @teardown
    def delete():
        pass

    with DAG("d") as d:
        with delete().as_teardown(setups=create()):
            a, b = EmptyOperator(task_id="a"), EmptyOperator(task_id="b")
            a >> b
        with pytest.raises(DagDefinitionError, match="not a teardown task"), a:
            pass
    assert d.get_task("a").upstream_task_ids == {"create"}
    assert d.get_task("delete").upstream_task_ids == {"create", "b"}

"""The bundled operators really run: bash in a subprocess, Python callables with context."""

import pytest

from dagkeeper import DAG
from dagkeeper.authoring.exceptions import DagDefinitionError
from dagkeeper.operators import (
    BaseOperator,
    BashOperator,
    EmptyOperator,
    PythonOperator,
    TaskFailed,
    TaskSkipped,
)


def test_bash_operator_streams_output_and_returns_last_line(capsys):
    with DAG("d"):
        op = BashOperator(task_id="b", bash_command="echo one; echo two >&2; echo three")
    assert op.execute({}) == "three"
    assert capsys.readouterr().out == "one\ntwo\nthree\n"


def test_bash_operator_env_replaces_environment_and_cwd_is_used(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INHERITED", "yes")
    with DAG("d"):
        op = BashOperator(
            task_id="b", bash_command='echo "$GREETING:${INHERITED:-no}:$PWD"',
            env={"GREETING": "hi"}, cwd=str(tmp_path),
        )  # fmt: skip
    assert op.execute({}) == f"hi:no:{tmp_path}"


def test_bash_operator_append_env_keeps_inherited_environment(monkeypatch):
    monkeypatch.setenv("INHERITED", "yes")
    with DAG("d"):
        op = BashOperator(
            task_id="b", bash_command="echo $GREETING:$INHERITED", env={"GREETING": "hi"},
            append_env=True,
        )  # fmt: skip
    assert op.execute({}) == "hi:yes"


def test_bash_operator_non_zero_exit_raises_task_failed_with_exit_code(capsys):
    with DAG("d"):
        op = BashOperator(task_id="b", bash_command="echo failing; exit 3")
    with pytest.raises(TaskFailed, match="non-zero exit code 3") as error:
        op.execute({})
    assert error.value.exit_code == 3
    assert capsys.readouterr().out == "failing\n"


def test_bash_operator_exit_99_raises_task_skipped():
    with DAG("d"):
        op = BashOperator(task_id="b", bash_command="exit 99")
    with pytest.raises(TaskSkipped):
        op.execute({})


def test_bash_operator_template_fields():
    assert BashOperator.template_fields == ("bash_command", "env")


def test_python_operator_calls_with_op_args_op_kwargs_and_named_context():
    seen = {}

    def work(a, b, *, scale, ds, templates_dict):
        seen.update(ds=ds, templates_dict=templates_dict)
        return (a + b) * scale

    with DAG("d"):
        op = PythonOperator(
            task_id="p", python_callable=work, op_args=[1, 2], op_kwargs={"scale": 10},
            templates_dict={"q": "x"},
        )  # fmt: skip
    assert op.execute({"ds": "2024-01-01", "run_id": "r"}) == 30
    assert seen == {"ds": "2024-01-01", "templates_dict": {"q": "x"}}


def test_python_operator_passes_whole_context_to_var_keyword_callable():
    def work(x, **context):
        return x, sorted(context)

    with DAG("d"):
        op = PythonOperator(task_id="p", python_callable=work, op_args=[5])
    assert op.execute({"ds": "d", "x": "not passed twice"}) == (5, ["ds", "templates_dict"])


def test_python_operator_does_not_pass_context_the_callable_cannot_take():
    with DAG("d"):
        op = PythonOperator(task_id="p", python_callable=lambda: "ok")
    assert op.execute({"ds": "d", "ti": object()}) == "ok"


def test_python_operator_explicit_kwargs_win_over_context():
    with DAG("d"):
        op = PythonOperator(task_id="p", python_callable=lambda ds: ds, op_kwargs={"ds": "mine"})
    assert op.execute({"ds": "context"}) == "mine"


def test_python_operator_requires_a_callable():
    with (
        DAG("d"),
        pytest.raises(DagDefinitionError, match="python_callable of task 'p' must be callable"),
    ):
        PythonOperator(task_id="p", python_callable="nope")


def test_python_operator_template_fields():
    assert PythonOperator.template_fields == ("op_args", "op_kwargs", "templates_dict")


def test_empty_operator_execute_does_nothing():
    with DAG("d"):
        op = EmptyOperator(task_id="e")
    assert op.execute({}) is None


def test_subclass_overrides_execute_and_declares_template_fields():
    class Hello(BaseOperator):
        template_fields = ("name",)
        ui_color = "#123456"

        def __init__(self, task_id, name, **kwargs):
            super().__init__(task_id=task_id, **kwargs)
            self.name = name

        def execute(self, context):
            return f"hello {self.name}"

    with DAG("d"):
        op = Hello(task_id="h", name="world", ui_fgcolor="#fff")
    assert op.execute({}) == "hello world"
    assert (op.ui_color, op.ui_fgcolor) == ("#123456", "#fff")


def test_base_operator_execute_must_be_overridden():
    with DAG("d"):
        op = BaseOperator(task_id="b")
    with pytest.raises(NotImplementedError, match="BaseOperator must implement execute"):
        op.execute({})


def test_operators_import_from_the_authoring_package_too():
    from dagkeeper.authoring.exceptions import TaskFailed as AuthoringTaskFailed
    from dagkeeper.authoring.operators import BashOperator as AuthoringBash

    assert AuthoringBash is BashOperator
    assert AuthoringTaskFailed is TaskFailed

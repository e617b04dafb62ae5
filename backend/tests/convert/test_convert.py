"""``dagkeeper convert``: import lines rewritten in place, line for line, and what is left over."""

import subprocess
import sys
import textwrap

import pytest

from dagkeeper.convert import convert_source

PEER = textwrap.dedent("""\
    import pendulum
    from airflow.sdk import DAG, task, Metadata
    from airflow.providers.standard.operators.bash import (
        BashOperator,  # runs things
        BashOperator as Shell,
    )  # a trailing comment
    from airflow.exceptions import AirflowSkipException
    import airflow.utils.dates

    def make():
        from airflow.operators.python import get_current_context; x = 1
        return x
""")


def test_imports_are_rewritten_and_every_line_keeps_its_number():
    converted, unmapped = convert_source(PEER)
    lines = converted.splitlines()
    assert len(lines) == len(PEER.splitlines())
    assert lines[1] == "from dagkeeper import DAG, task; from airflow.sdk import Metadata"
    assert lines[2] == "from dagkeeper.operators import (BashOperator, BashOperator as Shell"
    assert lines[5] == ")  # a trailing comment"
    assert lines[6] == "from dagkeeper.operators import TaskSkipped as AirflowSkipException"
    assert lines[10] == "    from dagkeeper import get_current_context; x = 1"
    assert [(u.line, u.what) for u in unmapped] == [
        (2, "airflow.sdk.Metadata"), (8, "import airflow.utils.dates"),
    ]  # fmt: skip
    compile(converted, "converted.py", "exec")


def test_a_converted_file_converts_to_itself():
    converted, _ = convert_source(PEER)
    assert convert_source(converted)[0] == converted


def test_assets_and_airflow_2_datasets_map_to_our_assets():
    source = (
        "from airflow.sdk import Asset, AssetAlias, asset\n"
        "from airflow.datasets import Dataset, DatasetAlias\n"
        "from airflow.timetables.datasets import DatasetOrTimeSchedule\n"
    )
    converted, unmapped = convert_source(source)
    assert converted.splitlines() == [
        "from dagkeeper import Asset, AssetAlias, asset",
        "from dagkeeper import Asset as Dataset, AssetAlias as DatasetAlias",
        "from dagkeeper import AssetOrTimeSchedule as DatasetOrTimeSchedule",
    ]
    assert unmapped == []


def test_names_of_modules_we_do_not_mirror_are_not_mapped():
    source = "from airflow.providers.amazon.aws.operators.s3 import BashOperator\n"
    converted, unmapped = convert_source(source)
    assert converted == source
    assert [u.what for u in unmapped] == ["airflow.providers.amazon.aws.operators.s3.BashOperator"]


def test_older_module_paths_and_renamed_operators_map_too():
    source = (
        "from airflow.operators.dummy import DummyOperator\n"
        "from airflow.utils.edgemodifier import Label\n"
        "from airflow.models.param import Param\n"
        "from airflow.utils.task_group import TaskGroup\n"
    )
    converted, unmapped = convert_source(source)
    assert unmapped == []
    assert converted.splitlines() == [
        "from dagkeeper.operators import EmptyOperator as DummyOperator",
        "from dagkeeper import Label",
        "from dagkeeper import Param",
        "from dagkeeper import TaskGroup",
    ]


def test_variables_connections_and_hooks_map_to_the_sdk():
    source = (
        "from airflow.models import Variable\n"
        "from airflow.sdk import Connection\n"
        "from airflow.hooks.base import BaseHook\n"
    )
    converted, unmapped = convert_source(source)
    assert unmapped == []
    assert converted.splitlines() == [
        "from dagkeeper.sdk import Variable",
        "from dagkeeper.sdk import Connection",
        "from dagkeeper.sdk import BaseHook",
    ]
    compile(converted, "converted.py", "exec")


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-c", "import sys; from dagkeeper.cli import main; sys.exit(main())",
         "convert", *map(str, args)],
        capture_output=True, text=True,
    )  # fmt: skip


def test_the_command_converts_in_place_and_exits_0_when_everything_mapped(tmp_path):
    path = tmp_path / "ok.py"
    path.write_text("from airflow.sdk import DAG\n")
    result = _cli(path)
    assert result.returncode == 0, result.stderr
    assert path.read_text() == "from dagkeeper import DAG\n"


def test_the_command_names_each_unmapped_name_and_exits_1(tmp_path):
    source, dest = tmp_path / "src", tmp_path / "dest"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "vars.py").write_text("x = 1\nfrom airflow.models import Pool, DAG\n")
    (source / "sub" / "query.sql").write_text("select 1")
    result = _cli(source, dest)
    assert result.returncode == 1
    assert f"{source / 'sub' / 'vars.py'}:2: airflow.models.Pool" in result.stdout
    assert (dest / "sub" / "query.sql").read_text() == "select 1"
    assert (dest / "sub" / "vars.py").read_text().splitlines()[1] == (
        "from dagkeeper import DAG; from airflow.models import Pool"
    )
    assert "x = 1" in (source / "sub" / "vars.py").read_text()  # the source is untouched


@pytest.mark.parametrize(("content", "code"), [(b"def (:\n", 1), (b"x = '\xff'\n", 1), (None, 2)])
def test_an_unparsable_or_missing_source_is_reported(tmp_path, content, code):
    path = tmp_path / "broken.py"
    if content is not None:
        path.write_bytes(content)
    result = _cli(path)
    assert result.returncode == code
    assert "broken.py" in result.stdout + result.stderr


def test_sensors_and_their_exceptions_map_to_our_operators():
    peer = textwrap.dedent("""\
        from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor, TimeDeltaSensorAsync
        from airflow.providers.standard.sensors.date_time import DateTimeSensor
        from airflow.providers.standard.sensors.filesystem import FileSensor
        from airflow.providers.standard.sensors.python import PythonSensor
        from airflow.providers.standard.sensors.bash import BashSensor
        from airflow.sdk import BaseSensorOperator, PokeReturnValue
        from airflow.sensors.base import BaseSensorOperator as Base
        from airflow.exceptions import AirflowSensorTimeout, TaskDeferred
    """)
    converted, unmapped = convert_source(peer)
    assert unmapped == []
    assert converted.splitlines() == [
        "from dagkeeper.operators import TimeDeltaSensor, TimeDeltaSensorAsync",
        "from dagkeeper.operators import DateTimeSensor",
        "from dagkeeper.operators import FileSensor",
        "from dagkeeper.operators import PythonSensor",
        "from dagkeeper.operators import BashSensor",
        "from dagkeeper.operators import BaseSensorOperator, PokeReturnValue",
        "from dagkeeper.operators import BaseSensorOperator as Base",
        "from dagkeeper.operators import SensorTimeout as AirflowSensorTimeout, TaskDeferred",
    ]


def test_timetables_map_from_the_peers_timetables_modules():
    source = (
        "from airflow.timetables.trigger import CronTriggerTimetable, DeltaTriggerTimetable\n"
        "from airflow.timetables.trigger import MultipleCronTriggerTimetable\n"
        "from airflow.timetables.events import EventsTimetable\n"
    )
    converted, unmapped = convert_source(source)
    assert unmapped == []
    assert converted.splitlines() == [
        "from dagkeeper import CronTriggerTimetable, DeltaTriggerTimetable",
        "from dagkeeper import MultipleCronTriggerTimetable",
        "from dagkeeper import EventsTimetable",
    ]

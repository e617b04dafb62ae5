"""Run a Python function in another interpreter: a virtualenv built for the task, or any Python.

The function's source is written to a script (its decorators removed) and
run by that interpreter with its arguments and result passed as JSON, so it
must import what it needs inside its body, as in the peer. Virtualenvs are
cached by what defines them (Python version, requirements, pip options,
system site packages) under ``venv_cache_path`` or ``$DAGKEEPER_HOME/venvs``:
the first task builds one, later ones reuse it.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import os
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from dagkeeper.authoring.exceptions import DagDefinitionError, TaskFailed
from dagkeeper.authoring.operators.python import PythonOperator
from dagkeeper.authoring.operators.subprocesses import stream
from dagkeeper.authoring.placeholders import resolve_all

_SCRIPT = """\
import json, sys
{source}
with open(sys.argv[1]) as _f:
    _given = json.load(_f)
_result = {name}(*_given["args"], **_given["kwargs"])
with open(sys.argv[2], "w") as _f:
    json.dump(_result, _f)
"""


def function_source(function: Any) -> str:
    """The function's own source, dedented, without its decorators."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError) as exc:
        raise DagDefinitionError(f"cannot read the source of {function!r}: {exc}") from None
    definition = tree.body[0]
    if not isinstance(definition, ast.FunctionDef | ast.AsyncFunctionDef):
        raise DagDefinitionError(f"{function!r} is not a plain function definition")
    definition.decorator_list = []
    return ast.unparse(definition)


class ExternalPythonOperator(PythonOperator):
    """Call ``python_callable`` in the interpreter ``python`` (a path to a Python executable)."""

    ui_color = "#ffefeb"

    def __init__(self, *, python: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.python = python
        if type(self) is ExternalPythonOperator and not python:
            raise DagDefinitionError(f"Task {self.task_id!r}: python= names the interpreter")
        function_source(self.python_callable)  # fail at parse time, not at run time

    def interpreter(self) -> str:
        assert self.python is not None
        return self.python

    def execute(self, context: dict[str, Any]) -> Any:
        given = {
            "args": resolve_all(self.op_args, context),
            "kwargs": resolve_all(self.op_kwargs, context),
        }
        python = self.interpreter()
        with tempfile.TemporaryDirectory(prefix="dagkeeper-task-") as folder:
            script, given_path, result_path = (Path(folder) / n for n in ("task.py", "in", "out"))
            script.write_text(
                _SCRIPT.format(
                    source=function_source(self.python_callable),
                    name=self.python_callable.__name__,
                )
            )
            try:
                given_path.write_text(json.dumps(given))
            except TypeError as exc:
                raise TaskFailed(f"arguments of {self.task_id!r} are not JSON: {exc}") from None
            _run([python, str(script), str(given_path), str(result_path)])
            return json.loads(result_path.read_text())


class PythonVirtualenvOperator(ExternalPythonOperator):
    """Call ``python_callable`` in a virtualenv with ``requirements`` installed."""

    def __init__(
        self,
        *,
        requirements: list[str] | str | None = None,
        python_version: str | None = None,
        system_site_packages: bool = True,
        pip_install_options: list[str] | None = None,
        venv_cache_path: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.requirements = (
            requirements.split() if isinstance(requirements, str) else sorted(requirements or [])
        )
        self.python_version = python_version
        self.system_site_packages = system_site_packages
        self.pip_install_options = list(pip_install_options or [])
        self.venv_cache_path = venv_cache_path

    def interpreter(self) -> str:
        return str(ensure_virtualenv(self.definition(), self.cache_folder()) / "bin" / "python")

    def cache_folder(self) -> Path:
        if self.venv_cache_path:
            return Path(self.venv_cache_path)
        return Path(os.environ.get("DAGKEEPER_HOME", "var")).resolve() / "venvs"

    def definition(self) -> dict[str, Any]:
        return {
            "python": _base_python(self.python_version),
            "requirements": self.requirements,
            "system_site_packages": self.system_site_packages,
            "pip_install_options": self.pip_install_options,
        }


def _base_python(version: str | None) -> str:
    current = f"{sys.version_info.major}.{sys.version_info.minor}"
    if version is None or str(version) == current:
        return getattr(sys, "_base_executable", sys.executable)
    found = shutil.which(f"python{version}")
    if found is None:
        raise TaskFailed(f"python_version {version!r} is not installed here (python{version})")
    return found


def ensure_virtualenv(definition: dict[str, Any], cache: Path) -> Path:
    """The cached virtualenv for ``definition``, built first if it does not exist yet.

    It is built in a temporary folder and renamed into place, so a task never
    sees a half-built one; two tasks building the same one at once both
    succeed and the first rename wins.
    """
    key = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()[:16]
    target = cache / key
    if (target / "bin" / "python").exists():
        print(f"Using the cached virtualenv {target}", flush=True)
        return target
    cache.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=cache))
    print(
        f"Building a virtualenv for {definition['requirements'] or 'no requirements'}", flush=True
    )
    command = [definition["python"], "-m", "venv"]
    if definition["system_site_packages"]:
        command.append("--system-site-packages")
    if not definition["requirements"]:
        command.append("--without-pip")
    _run([*command, str(building)])
    if definition["requirements"]:
        pip = [
            str(building / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
        ]
        _run([*pip, *definition["pip_install_options"], *definition["requirements"]])
    (building / "dagkeeper-venv.json").write_text(json.dumps(definition, indent=2))
    try:
        building.rename(target)
    except OSError:  # another task finished the same one first
        shutil.rmtree(building, ignore_errors=True)
    return target


def _run(command: list[str]) -> None:
    code, _ = stream(command)
    if code != 0:
        raise TaskFailed(f"{Path(command[0]).name} {command[1]} ... exited with code {code}")

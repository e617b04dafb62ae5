"""DAG file sources the end-to-end scenarios write, each a known committed state."""

from __future__ import annotations


def chain_dag(dag_id: str, tasks: int, schedule: str = "None") -> str:
    """A DAG whose version k has tasks t0..t{k-1} linked in a chain."""
    names = [f"t{i}" for i in range(tasks)]
    lines = [
        "from datetime import datetime",
        "from dagkeeper import DAG",
        "from dagkeeper.operators import EmptyOperator",
        "",
        f"with DAG({dag_id!r}, schedule={schedule}, start_date=datetime(2024, 1, 1), tags=['e2e']):",
    ]
    lines += [f"    {n} = EmptyOperator(task_id={n!r})" for n in names]
    if len(names) > 1:
        lines.append("    " + " >> ".join(names))
    if len(names) == 0:
        lines.append("    pass")
    return "\n".join(lines) + "\n"


def broken_dag(dag_id: str) -> str:
    return f"from dagkeeper import DAG\nwith DAG({dag_id!r} schedule=None):\n    pass\n"


def bash_chain_dag(dag_id: str, tasks: int = 3) -> str:
    names = [f"step_{i}" for i in range(tasks)]
    lines = [
        "from datetime import datetime",
        "from dagkeeper import DAG",
        "from dagkeeper.operators import BashOperator",
        "",
        f"with DAG({dag_id!r}, schedule=None, start_date=datetime(2024, 1, 1), tags=['e2e']):",
    ]
    lines += [f"    {n} = BashOperator(task_id={n!r}, bash_command='echo {n}')" for n in names]
    lines.append("    " + " >> ".join(names))
    return "\n".join(lines) + "\n"


def etl_dag(dag_id: str = "view_etl") -> str:
    """Grouped bash tasks with params (one of type object), doc_md and a templated command."""
    return f"""
from datetime import datetime
from dagkeeper import DAG, Param, TaskGroup
from dagkeeper.operators import BashOperator

with DAG(
    {dag_id!r},
    schedule=None,
    start_date=datetime(2024, 1, 1),
    tags=["views", "etl"],
    description="Extract, transform and load, grouped by stage",
    default_args={{"owner": "data-team"}},
    params={{
        "greeting": Param("hello", type="string", description="What the first task says"),
        "repeat": Param(2, type="integer", minimum=1, maximum=5, description="How many times"),
        "options": Param({{"region": "eu"}}, type="object", description="Free-form options"),
    }},
    doc_md="# View ETL\\n\\nThis DAG **extracts** orders and refunds.\\n\\n- extract\\n- transform\\n",
):
    with TaskGroup("extract", tooltip="read the raw sources"):
        orders = BashOperator(
            task_id="orders", bash_command="echo 'extracting orders: {{{{ params.greeting }}}}'"
        )
        refunds = BashOperator(  # a run triggered with greeting "fail" fails here
            task_id="refunds",
            bash_command="echo extracting refunds; test '{{{{ params.greeting }}}}' != fail",
        )
    with TaskGroup("transform"):
        total = BashOperator(task_id="total", bash_command="echo total")
    load = BashOperator(task_id="load", bash_command="echo loaded")
    [orders, refunds] >> total >> load
"""


def empty_dag(dag_id: str, tags: tuple[str, ...] = ("views",), owner: str = "dagkeeper") -> str:
    """One EmptyOperator: cheap to parse and to run, for lists and run paging."""
    return f"""
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import EmptyOperator

with DAG({dag_id!r}, schedule=None, start_date=datetime(2024, 1, 1), tags={list(tags)!r},
         default_args={{"owner": {owner!r}}}):
    EmptyOperator(task_id="only")
"""


def slow_dag(dag_id: str, seconds: int = 3) -> str:
    """Two bash tasks that take a few seconds, so a watcher can see them progress."""
    return f"""
from datetime import datetime
from dagkeeper import DAG
from dagkeeper.operators import BashOperator

with DAG({dag_id!r}, schedule=None, start_date=datetime(2024, 1, 1), tags=["views"]):
    first = BashOperator(task_id="first", bash_command="sleep {seconds}; echo first done")
    second = BashOperator(task_id="second", bash_command="sleep 1; echo second done")
    first >> second
"""


def grouped_dag(dag_id: str, groups: int) -> str:
    """Task groups g0..g{n-1}, each holding one task `work`, chained in order."""
    lines = [
        "from datetime import datetime",
        "from dagkeeper import DAG, TaskGroup, chain",
        "from dagkeeper.operators import EmptyOperator",
        "",
        f"with DAG({dag_id!r}, schedule=None, start_date=datetime(2024, 1, 1), tags=['views']):",
        "    works = []",
    ]
    for i in range(groups):
        lines += [
            f"    with TaskGroup('g{i}'):",
            "        works.append(EmptyOperator(task_id='work'))",
        ]
    lines.append("    chain(*works)")
    return "\n".join(lines) + "\n"


def layered_dag(dag_id: str, layers: int = 50, width: int = 40) -> str:
    """``layers`` task groups of ``width`` tasks, each task fed by two of the layer before."""
    return f"""
from datetime import datetime
from dagkeeper import DAG, TaskGroup
from dagkeeper.operators import EmptyOperator

with DAG({dag_id!r}, schedule=None, start_date=datetime(2024, 1, 1), tags=["big"]):
    previous = []
    for layer in range({layers}):
        with TaskGroup(f"layer_{{layer:02d}}"):
            current = [EmptyOperator(task_id=f"t{{i:02d}}") for i in range({width})]
        for i, task in enumerate(current):
            if previous:
                previous[i] >> task
                previous[(i + 1) % {width}] >> task
        previous = current
"""

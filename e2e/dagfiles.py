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

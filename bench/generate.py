"""Write a deterministic folder of DAG files for benchmarks (same seed, same bytes).

``python -m bench.generate FOLDER --small 1000`` writes N small DAG files
(10 tasks each, mixed cron/preset/timedelta schedules, 2-3 tags from a pool,
some with catchup), one 2,000-task layered DAG (50 layers x 40 tasks, three
upstream edges per task, one task group per layer) and one 200-task DAG with
nested task groups.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

BIG_DAG_ID = "bench_layered"  # 2,000 tasks, 50 layers x 40
GROUPS_DAG_ID = "bench_nested_groups"  # 200 tasks in nested task groups

TAG_POOL = [
    "finance",
    "marketing",
    "ops",
    "ml",
    "reporting",
    "hourly",
    "daily",
    "core",
    "edge",
]
SCHEDULES = [
    '"@daily"',
    '"@hourly"',
    '"*/15 * * * *"',
    '"0 6 * * 1-5"',
    "timedelta(hours=4)",
    "timedelta(days=1)",
    '"@weekly"',
]

SMALL = '''"""Generated benchmark DAG {index}."""

from datetime import datetime, timedelta

{imports}

with DAG(
    "bench_small_{index:04d}",
    schedule={schedule},
    start_date=datetime(2024, 1, {day}),
    catchup={catchup},
    tags={tags!r},
    default_args={{"retries": {retries}}},
    description="Generated DAG number {index}",
) as dag:
    start = EmptyOperator(task_id="start")
    extract = [BashOperator(task_id=f"extract_{{i}}", bash_command="echo {{{{ ds }}}}") for i in range(4)]
    transform = [BashOperator(task_id=f"transform_{{i}}", bash_command="true") for i in range(3)]
    load = BashOperator(task_id="load", bash_command="echo load")
    end = EmptyOperator(task_id="end")
    start >> extract
    for task in transform:
        extract >> task
    transform >> load >> end
'''

LAYERED = '''"""Generated benchmark DAG: {layers} layers x {width} tasks, {fan_in} upstream edges each."""

from datetime import datetime

{imports}

UPSTREAM = {upstream!r}

with DAG({dag_id!r}, schedule="@daily", start_date=datetime(2024, 1, 1)) as dag:
    previous = []
    for layer in range({layers}):
        with TaskGroup(f"layer_{{layer:02d}}"):
            current = [EmptyOperator(task_id=f"t{{i:02d}}") for i in range({width})]
        if previous:
            for i, task in enumerate(current):
                for j in UPSTREAM[layer - 1][i]:
                    previous[j] >> task
        previous = current
'''

NESTED = '''"""Generated benchmark DAG: 200 tasks in nested task groups."""

from datetime import datetime

{imports}

with DAG({dag_id!r}, schedule=None, start_date=datetime(2024, 1, 1)) as dag:
    start = EmptyOperator(task_id="start")
    end = EmptyOperator(task_id="end")
    for region in range(6):
        with TaskGroup(f"region_{{region}}") as region_group:
            for team in range(3):
                with TaskGroup(f"team_{{team}}") as team_group:
                    with TaskGroup("inner") as inner:
                        steps = [EmptyOperator(task_id=f"step_{{i}}") for i in range({inner})]
                        for up, down in zip(steps, steps[1:]):
                            up >> down
                    extra = [EmptyOperator(task_id=f"extra_{{i}}") for i in range({extra})]
                    inner >> extra
        start >> region_group >> end
'''


FLAVOURS = ("dagkeeper", "airflow")


def _imports(flavour: str, names: str, operators: tuple[str, ...]) -> str:
    """The import lines of a generated file: ours, or Apache Airflow 3's task SDK and
    standard provider (``bench.peers`` parses the same shapes with Airflow)."""
    if flavour == "dagkeeper":
        return (
            f"from dagkeeper import {names}\nfrom dagkeeper.operators import {', '.join(operators)}"
        )
    return f"from airflow.sdk import {names}\n" + "\n".join(
        f"from airflow.providers.standard.operators.{name.removesuffix('Operator').lower()} "
        f"import {name}"
        for name in operators
    )


def _small(index: int, rng: random.Random, flavour: str) -> str:
    return SMALL.format(
        imports=_imports(flavour, "DAG", ("BashOperator", "EmptyOperator")),
        index=index,
        schedule=rng.choice(SCHEDULES),
        day=rng.randint(1, 28),
        catchup=rng.random() < 0.2,
        tags=sorted(rng.sample(TAG_POOL, rng.randint(2, 3))),
        retries=rng.randint(0, 3),
    )


def generate(
    folder: Path,
    n_small: int = 1000,
    big: bool = True,
    groups: bool = True,
    seed: int = 42,
    flavour: str = "dagkeeper",
) -> list[Path]:
    """Write the benchmark DAG files into ``folder``; returns their paths.

    ``flavour="airflow"`` writes the same DAGs (same seed, same shapes) for Apache Airflow 3.
    """
    if flavour not in FLAVOURS:
        raise ValueError(f"flavour is one of {FLAVOURS}, not {flavour!r}")
    grouped = _imports(flavour, "DAG, TaskGroup", ("EmptyOperator",))
    rng = random.Random(seed)
    folder = Path(folder)
    written = []
    for index in range(n_small):
        path = folder / f"team_{index % 10}" / f"small_{index:04d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_small(index, rng, flavour))
        written.append(path)
    if big:
        layers, width, fan_in = 50, 40, 3
        upstream = [[sorted(rng.sample(range(width), fan_in)) for _ in range(width)]]
        upstream += [
            [sorted(rng.sample(range(width), fan_in)) for _ in range(width)]
            for _ in range(layers - 2)
        ]
        path = folder / "big_layered.py"
        path.write_text(LAYERED.format(imports=grouped, dag_id=BIG_DAG_ID, layers=layers,
                                       width=width, fan_in=fan_in, upstream=upstream))  # fmt: skip
        written.append(path)
    if groups:
        path = folder / "nested_groups.py"  # 2 + 6 regions x 3 teams x (9 + 2) = 200 tasks
        path.write_text(NESTED.format(imports=grouped, dag_id=GROUPS_DAG_ID, inner=9, extra=2))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--small", type=int, default=1000, help="number of small DAG files")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-big", action="store_true", help="skip the 2,000-task DAG")
    parser.add_argument("--no-groups", action="store_true", help="skip the nested-group DAG")
    parser.add_argument("--flavour", choices=FLAVOURS, default="dagkeeper", help="whose DAG API")
    args = parser.parse_args(argv)
    paths = generate(
        args.folder,
        args.small,
        big=not args.no_big,
        groups=not args.no_groups,
        seed=args.seed,
        flavour=args.flavour,
    )
    print(f"wrote {len(paths)} DAG files under {args.folder}")


if __name__ == "__main__":
    main()

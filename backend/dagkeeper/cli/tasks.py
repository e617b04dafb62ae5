"""``dagkeeper tasks run DAG_ID RUN_ID TASK_ID --try N [--map-index I]``: run one queued try of a task instance.

The local executor runs the same function in a pre-imported, forked process;
this command is the way to run a try by hand (or from another executor).
"""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("tasks", help="task instance commands")
    actions = parser.add_subparsers(dest="action", required=True)
    run_parser = actions.add_parser("run", help="run one queued try of a task instance")
    run_parser.add_argument("dag_id")
    run_parser.add_argument("run_id")
    run_parser.add_argument("task_id")
    run_parser.add_argument("--try", dest="try_number", type=int, required=True)
    run_parser.add_argument("--map-index", dest="map_index", type=int, default=-1)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from dagkeeper.runner import run_task_instance

    return run_task_instance(
        args.dag_id, args.run_id, args.task_id, args.try_number, args.map_index
    )

"""``dagkeeper backfill create|list|pause|unpause|cancel``: backfills from the command line.

The same functions as ``/api/v1/backfills`` (:mod:`dagkeeper.backfills`), so
``--dry-run`` prints exactly the runs ``create`` queues; a running scheduler
starts them.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime


def _date(text: str) -> datetime:
    """ISO-8601; a date or time without an offset is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 date: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def register(subparsers) -> None:
    parser = subparsers.add_parser("backfill", help="run a DAG over a past date range")
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="queue the runs of a date range")
    create.add_argument("--dag-id", required=True)
    create.add_argument(
        "--from",
        dest="from_date",
        required=True,
        type=_date,
        help="first logical date, ISO-8601 (no offset: UTC)",
    )
    create.add_argument(
        "--to",
        dest="to_date",
        required=True,
        type=_date,
        help="last logical date, ISO-8601 (no offset: UTC)",
    )
    create.add_argument(
        "--reprocess",
        choices=("none", "failed", "completed"),
        default="none",
        help="dates that have a finished run: keep (none), re-run failed ones, or re-run all",
    )
    create.add_argument("--max-active-runs", type=int, default=10)
    create.add_argument("--run-backwards", action="store_true", help="newest date first")
    create.add_argument("--conf", default="{}", help="the runs' conf, a JSON object")
    create.add_argument("--dry-run", action="store_true", help="print the runs, queue nothing")
    listing = actions.add_parser("list", help="a DAG's backfills with their progress")
    listing.add_argument("--dag-id", required=True)
    for action, text in (
        ("pause", "start no more of its runs"),
        ("unpause", "start them again"),
        ("cancel", "fail its queued runs and complete it"),
    ):
        actions.add_parser(action, help=text).add_argument("backfill_id", type=int)
    parser.set_defaults(handler=run)  # fmt: skip


def run(args) -> int:
    from dagkeeper.backfills import BackfillError

    try:
        if args.action == "create":
            return _create(args)
        if args.action == "list":
            return _list(args.dag_id)
        return _change(args.action, args.backfill_id)
    except BackfillError as error:
        print(f"{error.field}: {error}", file=sys.stderr)
        return 1


def _create(args) -> int:
    from dagkeeper import db
    from dagkeeper.backfills import MAX_RUNS, BackfillRequest, create_backfill, plan_backfill
    from dagkeeper.models import ChangeKind, Dag, record_change, record_event, utcnow
    from dagkeeper.models.queries import document_of
    from dagkeeper.serialization.params import conf_errors

    try:
        conf = json.loads(args.conf)
    except json.JSONDecodeError:
        conf = None
    if not isinstance(conf, dict):
        print("--conf must be a JSON object", file=sys.stderr)
        return 1
    if not 1 <= args.max_active_runs <= MAX_RUNS:
        print(f"--max-active-runs must be between 1 and {MAX_RUNS}", file=sys.stderr)
        return 1
    request = BackfillRequest(
        args.dag_id, args.from_date, args.to_date, args.reprocess, args.max_active_runs,
        args.run_backwards, conf,
    )  # fmt: skip
    with db.transaction() as session:
        dag = session.get(Dag, args.dag_id)
        if dag is None:
            print(f"DAG {args.dag_id!r} not found", file=sys.stderr)
            return 1
        document = document_of(session, dag.current_version_id) if dag.current_version_id else None
        errors = conf_errors(conf, document.params) if document else {}
        for field, messages in errors.items():
            print(f"{field}: {'; '.join(messages)}", file=sys.stderr)
        if errors:
            return 1
        if args.dry_run:
            plan = plan_backfill(session, dag, request, utcnow())
        else:
            backfill, plan = create_backfill(session, dag, request, utcnow(), "cli")
            record_change(session, [(dag.dag_id, ChangeKind.RUN)])
            record_event(session, "create_backfill", username="cli", address="local",
                         dag_id=dag.dag_id, target=str(backfill.id))  # fmt: skip
            print(f"backfill {backfill.id}: {len(plan)} runs queued")
    for planned in plan:
        print(f"{planned.logical_date.isoformat()}\t{planned.action}")
    return 0


def _list(dag_id: str) -> int:
    from sqlalchemy import select

    from dagkeeper import db
    from dagkeeper.backfills import progress
    from dagkeeper.models import Backfill

    with db.read_session() as session:
        backfills = session.scalars(
            select(Backfill).where(Backfill.dag_id == dag_id).order_by(Backfill.id.desc())
        ).all()
        counts = progress(session, [b.id for b in backfills])
        for b in backfills:
            status = "completed" if b.completed_at else "paused" if b.is_paused else "running"
            states = ", ".join(f"{n} {state}" for state, n in sorted(counts[b.id].items()))
            print(f"{b.id}\t{b.from_date.isoformat()}\t{b.to_date.isoformat()}\t{status}\t"
                  f"{states or 'no runs'}")  # fmt: skip
    return 0


def _change(action: str, backfill_id: int) -> int:
    from dagkeeper import db
    from dagkeeper.backfills import cancel_backfill, set_paused
    from dagkeeper.models import Backfill, ChangeKind, record_change, record_event, utcnow

    with db.transaction() as session:
        backfill = session.get(Backfill, backfill_id, with_for_update=True)
        if backfill is None:
            print(f"backfill {backfill_id} not found", file=sys.stderr)
            return 1
        if action == "cancel":
            cancel_backfill(session, backfill, utcnow())
        else:
            set_paused(backfill, action == "pause")
        record_change(session, [(backfill.dag_id, ChangeKind.RUN)])
        record_event(session, f"{action}_backfill", username="cli", address="local",
                     dag_id=backfill.dag_id, target=str(backfill_id))  # fmt: skip
    return 0

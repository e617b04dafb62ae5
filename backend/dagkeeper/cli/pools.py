"""``dagkeeper pools list|set|delete``: slot pools from the command line."""

from __future__ import annotations

import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser("pools", help="manage slot pools")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="print each pool with its slots, running and queued")
    set_ = actions.add_parser("set", help="create a pool or change its slots")
    set_.add_argument("name")
    set_.add_argument("slots", type=int)
    set_.add_argument("description", nargs="?")
    delete = actions.add_parser("delete", help="delete a pool (not default_pool)")
    delete.add_argument("name")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from sqlalchemy import select

    from dagkeeper import db
    from dagkeeper.models import DEFAULT_POOL, Pool
    from dagkeeper.models.pool import Occupancy, pool_occupancy

    if args.action == "list":
        with db.read_session() as session:
            occupancy = pool_occupancy(session)
            for pool in session.scalars(select(Pool).order_by(Pool.pool)):
                used = occupancy.get(pool.pool, Occupancy())
                print(
                    f"{pool.pool}\t{pool.slots} slots\t{used.running} running\t{used.queued} queued"
                )
        return 0
    if args.action == "set" and args.slots < 0:
        print("slots must be 0 or more", file=sys.stderr)
        return 1
    if args.action == "delete" and args.name == DEFAULT_POOL:
        print("default_pool cannot be deleted", file=sys.stderr)
        return 1
    with db.transaction() as session:
        found = session.scalar(select(Pool).where(Pool.pool == args.name))
        if args.action == "delete":
            if found is None:
                print(f"pool {args.name} does not exist", file=sys.stderr)
                return 1
            session.delete(found)
            return 0
        if found is None:
            found = Pool(pool=args.name)
            session.add(found)
        found.slots = args.slots
        if args.description is not None:
            found.description = args.description
    return 0

"""``dagkeeper connections list|add|delete``: connections from the command line (by URI)."""

from __future__ import annotations

import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser("connections", help="manage connections")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="print id, type and host of each (never the password)")
    add = actions.add_parser("add", help="create a connection from a URI")
    add.add_argument("conn_id")
    add.add_argument("--conn-uri", required=True, help="e.g. postgres://user:pass@host:5432/db")
    add.add_argument("--conn-description")
    delete = actions.add_parser("delete", help="delete a connection")
    delete.add_argument("conn_id")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from sqlalchemy import select

    from dagkeeper import db
    from dagkeeper.models import Connection as ConnectionRow
    from dagkeeper.sdk import Connection

    if args.action == "list":
        with db.read_session() as session:
            rows = session.execute(
                select(ConnectionRow.conn_id, ConnectionRow.conn_type, ConnectionRow.host).order_by(
                    ConnectionRow.conn_id
                )
            ).all()
        for conn_id, conn_type, host in rows:
            print(f"{conn_id}\t{conn_type}\t{host or ''}")
        return 0
    with db.transaction() as session:
        found = session.scalar(select(ConnectionRow).where(ConnectionRow.conn_id == args.conn_id))
        if args.action == "delete":
            if found is None:
                print(f"connection {args.conn_id} does not exist", file=sys.stderr)
                return 1
            session.delete(found)
            return 0
        if found is not None:
            print(f"connection {args.conn_id} already exists", file=sys.stderr)
            return 1
        parsed = Connection(conn_id=args.conn_id, uri=args.conn_uri)
        session.add(
            ConnectionRow(
                conn_id=args.conn_id, conn_type=parsed.conn_type, host=parsed.host,
                schema=parsed.schema, login=parsed.login, password=parsed.password,
                port=parsed.port, extra=parsed.extra, description=args.conn_description,
            )
        )  # fmt: skip
    return 0

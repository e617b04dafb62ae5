"""``dagkeeper variables list|get|set|delete|import|export``: variables from the command line.

``import``/``export`` read and write the peer's file format, a JSON object of
key -> value (a value that is not a string is stored as JSON, and a stored
JSON value is exported as its data), so ``airflow variables export vars.json``
moves over as it is.
"""

from __future__ import annotations

import json
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser("variables", help="manage variables")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="print every key")
    get = actions.add_parser("get", help="print one value (an environment override wins)")
    get.add_argument("key")
    set_ = actions.add_parser("set", help="create or change a variable")
    set_.add_argument("key")
    set_.add_argument("value")
    set_.add_argument("--description")
    delete = actions.add_parser("delete", help="delete a variable")
    delete.add_argument("key")
    for name, verb in (("import", "read"), ("export", "write")):
        action = actions.add_parser(name, help=f"{verb} a JSON file of key -> value")
        action.add_argument("file")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from sqlalchemy import select

    from dagkeeper import db
    from dagkeeper.models import Variable as VariableRow
    from dagkeeper.sdk import Variable

    if args.action == "list":
        with db.read_session() as session:
            for key in session.scalars(select(VariableRow.key).order_by(VariableRow.key)):
                print(key)
    elif args.action == "get":
        value = Variable.get(args.key, default_var=None)
        if value is None:
            print(f"Variable {args.key} does not exist", file=sys.stderr)
            return 1
        print(value)
    elif args.action == "set":
        Variable.set(args.key, args.value, description=args.description)
    elif args.action == "delete":
        if not Variable.delete(args.key):
            print(f"Variable {args.key} does not exist", file=sys.stderr)
            return 1
    elif args.action == "import":
        with open(args.file) as handle:
            values = json.load(handle)
        if not isinstance(values, dict):
            print(f"{args.file} must hold a JSON object of key -> value", file=sys.stderr)
            return 1
        for key, value in values.items():
            Variable.set(key, value, serialize_json=not isinstance(value, str))
        print(f"{len(values)} variables imported")
    else:
        with db.read_session() as session:
            rows = session.execute(select(VariableRow.key, VariableRow.value)).all()
        with open(args.file, "w") as handle:
            json.dump({key: _decoded(value) for key, value in sorted(rows)}, handle, indent=2)
        print(f"{len(rows)} variables exported to {args.file}")
    return 0


def _decoded(text: str):
    """A JSON value as its data (as the peer exports it), any other text as it is."""
    try:
        return json.loads(text)
    except ValueError:
        return text

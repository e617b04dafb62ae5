"""accounts: a change to who a credential is advances the change token (triggers)

Each web worker keeps the identities it resolved, keyed by the change token they
were read under (``accounts.identity``), so a cached request reads one row, not
the credential's three tables. That is only safe if *every* write that changes
what a credential resolves to advances the token, whoever makes it: the API,
the CLI, a cascade from a deleted user, or an operator's SQL. Triggers make it
so by construction. The once-a-minute last-used stamps (``api_token.last_used_at``,
``user_session.last_seen_at``) are left out, so using a credential never
invalidates it. Inserts of tokens and sessions are left out too: a credential
nobody has resolved yet is in no cache.

Revision ID: 0021a
Revises: 0020c
"""

from alembic import op

revision = "0021a"
down_revision = "0020c"
branch_labels = None
depends_on = None

ADVANCE = "UPDATE change_counter SET value = value + 1 WHERE id = 1"

# (table, event) pairs; an UPDATE lists the columns an identity is read from.
WATCHED = (
    ("user_account", "UPDATE"),
    ("user_account", "DELETE"),
    ("user_team", "INSERT"),
    ("user_team", "UPDATE"),
    ("user_team", "DELETE"),
    ("api_token", "UPDATE OF user_id, token_hash, expires_at"),
    ("api_token", "DELETE"),
    ("user_session", "UPDATE OF user_id, id_hash, created_at"),
    ("user_session", "DELETE"),
)
FUNCTION = "dagkeeper_account_changed"


def _name(table: str, event: str) -> str:
    return f"trg_{table}_{event.split()[0].lower()}_advances_token"


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(
            f"CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {ADVANCE}; RETURN NULL; END $$"
        )
    for table, event in WATCHED:
        if postgresql:
            op.execute(
                f"CREATE TRIGGER {_name(table, event)} AFTER {event} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {_name(table, event)} AFTER {event} ON {table} "
                f"BEGIN {ADVANCE}; END"
            )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, event in WATCHED:
        on = f" ON {table}" if postgresql else ""
        op.execute(f"DROP TRIGGER {_name(table, event)}{on}")
    if postgresql:
        op.execute(f"DROP FUNCTION {FUNCTION}()")

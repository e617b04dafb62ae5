"""Authentication and authorization around every request (DESIGN.md invariant 8).

Before any view runs, :mod:`.guard` resolves the caller from the database
(session cookie or bearer token), checks the endpoint's minimum role and, for
every URL that names a DAG, the DAG's grants: a DAG the caller may not read is
a 404, exactly like a DAG that does not exist. It also sets
``g.permission_key``, which the request cycle folds into ETags and the
response-cache key, so one caller's view never reaches another.
"""

from dagkeeper.api.auth.guard import (
    PUBLIC,
    current_identity,
    editable_among,
    readable_by,
    register,
    require_dag_access,
    requires,
)  # fmt: skip

__all__ = [
    "PUBLIC",
    "current_identity",
    "editable_among",
    "readable_by",
    "register",
    "require_dag_access",
    "requires",
]

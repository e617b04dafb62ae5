"""``/api/v1/pools``: slot pools with their occupancy; list, create, read, update, delete.

``default_pool`` can be resized but neither renamed nor deleted: tasks that
name no pool use it.
"""

from __future__ import annotations

from typing import Any

from dagkeeper.api.auth.guard import requires
from dagkeeper.api.errors import abort
from dagkeeper.api.named_rows import NamedRows
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas import pools as schemas
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import DEFAULT_POOL, Pool, Role
from dagkeeper.models.pool import Occupancy, open_slots, pool_occupancy

blp = Blueprint("pools", __name__, url_prefix="/api/v1/pools", description="Slot pools")
ROWS = NamedRows(
    Pool, Pool.pool, "pool", "name",
    columns={"name": "pool", "slots": "slots", "description": "description"},
    orderings={"name": Pool.pool, "slots": Pool.slots},
    renamable=True,
)  # fmt: skip


def pool_dict(pool: Pool, occupancy: Occupancy) -> dict[str, Any]:
    return {
        "name": pool.pool,
        "slots": pool.slots,
        "description": pool.description,
        "occupied_slots": occupancy.running + occupancy.queued,
        "running_slots": occupancy.running,
        "queued_slots": occupancy.queued,
        "scheduled_slots": occupancy.scheduled,
        "open_slots": open_slots(pool, occupancy),
    }


def _one(name: str, status: int = 200):
    s = session()
    pool = ROWS.find(s, name)
    occupancy = pool_occupancy(s, [name]).get(name, Occupancy())
    return json_response(pool_dict(pool, occupancy), status=status)


@blp.route("")
@blp.arguments(schemas.PoolQuery, location="query")
@blp.response(200, schemas.PoolCollection)
def list_pools(args):
    """Pools by name, with running, queued and open slots."""
    s = session()
    total, page = ROWS.page(s, args)
    occupancy = pool_occupancy(s, [p.pool for p in page])
    body = [pool_dict(p, occupancy.get(p.pool, Occupancy())) for p in page]
    return json_response({"pools": body, "total_entries": total})


@blp.route("", methods=["POST"])
@requires(Role.OP)
@blp.arguments(schemas.PoolBody)
@blp.response(201, schemas.PoolSchema)
def create_pool(body):
    """Create a pool; its name must be new."""
    return _one(ROWS.create(body), 201)


@blp.route("/<path:pool_name>")
@blp.response(200, schemas.PoolSchema)
def get_pool(pool_name: str):
    """One pool with its occupancy."""
    return _one(pool_name)


@blp.route("/<path:pool_name>", methods=["PATCH"])
@requires(Role.OP)
@blp.arguments(schemas.PoolPatch)
@blp.response(200, schemas.PoolSchema)
def patch_pool(body, pool_name: str):
    """Resize, describe or rename a pool (tasks naming the old name then wait for it)."""
    if pool_name == DEFAULT_POOL and body.get("name", DEFAULT_POOL) != DEFAULT_POOL:
        abort(400, "default_pool cannot be renamed", {"name": ["default_pool keeps its name"]})
    return _one(ROWS.update(pool_name, body))


@blp.route("/<path:pool_name>", methods=["DELETE"])
@requires(Role.OP)
@blp.response(204)
def delete_pool(pool_name: str):
    """Delete a pool (not default_pool); its tasks wait until it exists again."""
    if pool_name == DEFAULT_POOL:
        abort(400, "default_pool cannot be deleted")
    ROWS.delete(pool_name)
    return "", 204

"""``/api/v1/assets``: assets, their events, events created by hand, and the lineage view.

Everything is read from the rows the processor, the runner and the
scheduler wrote (see :mod:`dagkeeper.models.asset`); producers, consumers
and event sources are limited to the DAGs the caller may read. Creating an
event queues runs of the DAGs that consume the asset, so it needs the
``user`` role and an edit grant on each of those DAGs, as triggering them would.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from dagkeeper import db
from dagkeeper.api.auth import editable_among, readable_by, requires
from dagkeeper.api.auth.audit import audit
from dagkeeper.api.auth.guard import current_identity
from dagkeeper.api.errors import abort, not_found
from dagkeeper.api.lookups import get_run_or_404
from dagkeeper.api.request_cycle import session
from dagkeeper.api.responses import json_response
from dagkeeper.api.schemas import assets as schemas
from dagkeeper.api.schemas.common import MAX_INT32
from dagkeeper.api.shapes import GIVEN, shape
from dagkeeper.api.spec import Blueprint
from dagkeeper.models import Asset, AssetEvent, AssetRole, ChangeKind, Role, record_change
from dagkeeper.models import asset_queries as queries
from dagkeeper.models.asset_events import record_asset_event

blp = Blueprint("assets", __name__, url_prefix="", description="Assets and asset events")

event_dict = shape(schemas.AssetEventSchema, extra=lambda row: json.loads(row.extra))
_asset_dict = shape(
    schemas.AssetSchema,
    extra=lambda row: json.loads(row.extra),
    consuming_dags=GIVEN,
    producing_tasks=GIVEN,
    latest_event=GIVEN,
)
EVENT_FILTERS = ("asset_id", "source_dag_id", "source_run_id", "source_task_id",
                 "source_map_index")  # fmt: skip
ASSET_ORDER = {"uri": Asset.uri, "name": Asset.name, "id": Asset.id}


def _asset_dicts(assets: list[Asset]) -> list[dict[str, Any]]:
    ids = [a.id for a in assets]
    refs = queries.references(session(), ids, readable_by())
    latest = queries.latest_events(session(), ids, readable_by())
    return [
        _asset_dict(
            a,
            refs[a.id][AssetRole.CONSUMER],
            [{"dag_id": d, "task_id": t} for d, t in refs[a.id][AssetRole.PRODUCER]],
            event_dict(latest[a.id]) if a.id in latest else None,
        )
        for a in assets
    ]


def _events_response(rows: list[Any], total: int):
    return json_response({"asset_events": [event_dict(r) for r in rows], "total_entries": total})


@blp.route("/api/v1/assets")
@blp.arguments(schemas.AssetQuery, location="query")
@blp.response(200, schemas.AssetCollection)
def list_assets(args):
    """Assets with their producing tasks, consuming DAGs and latest event."""
    conditions = []
    if "uri_pattern" in args:
        conditions.append(Asset.uri.contains(args["uri_pattern"], autoescape=True))
    key = args["order_by"]
    column = ASSET_ORDER[key.lstrip("-")]
    s = session()
    total = s.scalar(select(func.count()).select_from(Asset).where(*conditions))
    page = s.scalars(
        select(Asset)
        .where(*conditions)
        .order_by(column.desc() if key.startswith("-") else column, Asset.id)
        .limit(args["limit"])
        .offset(args["offset"])
    ).all()
    return json_response({"assets": _asset_dicts(list(page)), "total_entries": total})


@blp.route(f"/api/v1/assets/<int(max={MAX_INT32}):asset_id>")
@blp.response(200, schemas.AssetSchema)
def get_asset(asset_id: int):
    """One asset."""
    asset = session().get(Asset, asset_id)
    if asset is None:
        not_found(f"asset {asset_id}")
    return json_response(_asset_dicts([asset])[0])


@blp.route("/api/v1/assets/events")
@blp.arguments(schemas.AssetEventQuery, location="query")
@blp.response(200, schemas.AssetEventCollection)
def list_asset_events(args):
    """Asset events, newest first by default."""
    conditions = [getattr(AssetEvent, name) == args[name] for name in EVENT_FILTERS if name in args]
    if "timestamp_gte" in args:
        conditions.append(AssetEvent.timestamp >= args["timestamp_gte"])
    if "timestamp_lte" in args:
        conditions.append(AssetEvent.timestamp <= args["timestamp_lte"])
    key = args["order_by"]
    column = getattr(AssetEvent, key.lstrip("-"))
    total, rows = queries.event_page(
        session(), conditions, column.desc() if key.startswith("-") else column,
        args["limit"], args["offset"], readable_by(),
    )  # fmt: skip
    return _events_response(rows, total)


@blp.route("/api/v1/assets/events", methods=["POST"])
@requires(Role.USER)
@blp.arguments(schemas.AssetEventBody)
@blp.response(201, schemas.AssetEventSchema)
def create_asset_event(body):
    """Record an event of a registered asset; its consuming DAGs get a run as after a task's."""
    s = session()
    if "asset_id" in body:
        asset = s.get(Asset, body["asset_id"])
        missing = f"asset {body['asset_id']}"
    else:
        asset = s.scalar(select(Asset).where(Asset.uri == body["uri"]))
        missing = f"asset {body['uri']!r}"
    if asset is None:
        not_found(missing)
    consumers = queries.references(s, [asset.id], None)[asset.id][AssetRole.CONSUMER]
    refused = sorted(set(consumers) - editable_among(consumers))
    if refused:
        abort(403, f"this event would trigger DAGs you may not change: {', '.join(refused)}")
    identity = current_identity()
    with db.transaction() as w:
        event = record_asset_event(
            w, {"uri": asset.uri}, body["extra"],
            created_by=identity.username if identity else None,
        )  # fmt: skip
        record_change(w, [(None, ChangeKind.ASSET), *((d, ChangeKind.RUN) for d in consumers)])
        audit(w, "asset_event", target=asset.uri, detail={"extra": body["extra"]})
        row = w.execute(queries.event_select(None).where(AssetEvent.id == event.id)).one()
        created = event_dict(row)
    return json_response(created, status=201)


@blp.route("/api/v1/dags/<dag_id>/dagRuns/<run_id>/upstreamAssetEvents")
@blp.response(200, schemas.AssetEventCollection)
def run_asset_events(dag_id: str, run_id: str):
    """The events that caused an asset-triggered run (none for other runs)."""
    run, _ = get_run_or_404(dag_id, run_id)
    rows = queries.run_events(session(), run.id, readable_by())
    return _events_response(rows, len(rows))


@blp.route("/ui/assetLineage")
@blp.response(200, schemas.AssetLineageSchema)
def asset_lineage():
    """Every visible DAG, asset and alias linked by production (DAG -> asset), schedule
    (asset -> DAG) and alias resolution (alias -> the assets emitted through it)."""
    s = session()
    asset_refs = queries.lineage_edges(s, readable_by())
    alias_refs = queries.lineage_alias_edges(s, readable_by())
    alias_ids = sorted({alias_id for _, _, alias_id in alias_refs})
    resolved = queries.alias_resolutions(s, alias_ids)
    asset_ids = sorted({a for _, _, a in asset_refs} | {a for _, a in resolved})
    uris = dict(s.execute(select(Asset.id, Asset.uri).where(Asset.id.in_(asset_ids))).all())
    aliases = queries.alias_names(s, alias_ids)
    dag_ids = sorted({dag_id for _, dag_id, _ in [*asset_refs, *alias_refs]})
    nodes = [_node(f"dag:{d}", "dag", d) for d in dag_ids]
    nodes += [_node(f"asset:{a}", "asset", uris[a], a) for a in asset_ids]
    nodes += [_node(f"alias:{a}", "alias", aliases[a]) for a in alias_ids]
    edges = [_edge(role, d, f"asset:{a}") for role, d, a in asset_refs]
    edges += [_edge(role, d, f"alias:{a}") for role, d, a in alias_refs]
    edges += [[f"alias:{alias}", f"asset:{asset}"] for alias, asset in resolved]
    return json_response({"nodes": nodes, "edges": sorted(edges)})


def _node(node_id: str, kind: str, label: str, asset_id: int | None = None) -> dict[str, Any]:
    return {"id": node_id, "kind": kind, "label": label, "asset_id": asset_id}


def _edge(role: str, dag_id: str, other: str) -> list[str]:
    """A producer points at what it produces; what is consumed points at its consumer."""
    return [f"dag:{dag_id}", other] if role == AssetRole.PRODUCER else [other, f"dag:{dag_id}"]

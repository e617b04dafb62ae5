import { Link, useParams } from "react-router";
import { type AssetEvent, useAsset, useAssetEvents } from "../../api/assets";
import { EmptyState } from "../../components/EmptyState";
import { QueryView } from "../../components/QueryView";
import { formatDate } from "../../lib/format";
import { usePaging } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { dagLink } from "./links";
import { PagedTable } from "./PagedTable";

/** One asset: its producers and consumers, and its events newest first (where each came from, its extra). */
export function AssetDetail() {
  const assetId = Number(useParams().assetId);
  const asset = useAsset(assetId);
  return (
    <div className="page">
      <p className="small">
        <Link to="/assets">← Assets</Link>
      </p>
      <QueryView query={asset}>
        {(data) => (
          <>
            <h1 className="page-title mono">{data.uri}</h1>
            <p className="muted small">
              name {data.name} · group {data.group}
              {Object.keys(data.extra).length > 0 && <> · extra {JSON.stringify(data.extra)}</>}
            </p>
            <p className="small">
              Produced by{" "}
              {data.producing_tasks.length
                ? data.producing_tasks.map((t, i) => (
                    <span key={`${t.dag_id}.${t.task_id}`}>
                      {i > 0 && ", "}
                      <Link to={dagLink(t.dag_id)}>{t.dag_id}</Link>.{t.task_id}
                    </span>
                  ))
                : "no task"}
              {" · "}scheduled DAGs{" "}
              {data.consuming_dags.length
                ? data.consuming_dags.map((dagId, i) => (
                    <span key={dagId}>
                      {i > 0 && ", "}
                      <Link to={dagLink(dagId)}>{dagId}</Link>
                    </span>
                  ))
                : "none"}
            </p>
            <Events assetId={data.id} />
          </>
        )}
      </QueryView>
    </div>
  );
}

function Events({ assetId }: { assetId: number }) {
  const { limit, offset } = usePaging();
  const events = useAssetEvents({ asset_id: assetId, limit, offset });
  return (
    <section>
      <h2 className="section-title">Events</h2>
      <QueryView query={events}>
        {(data) =>
          data.asset_events.length === 0 ? (
            <EmptyState title="No events yet.">A producing task records one each time it succeeds.</EmptyState>
          ) : (
            <PagedTable headers={["When", "Source", "Extra"]} total={data.total_entries}>
              {data.asset_events.map((event) => (
                <EventRow key={event.id} event={event} />
              ))}
            </PagedTable>
          )
        }
      </QueryView>
    </section>
  );
}

function EventRow({ event }: { event: AssetEvent }) {
  return (
    <tr data-testid={TID.assetEvent} data-event-id={event.id}>
      <td className="small">{formatDate(event.timestamp)}</td>
      <td className="small" data-cell="source">
        {event.source_dag_id ? (
          <Link
            to={`${dagLink(event.source_dag_id)}?run_id=${encodeURIComponent(event.source_run_id ?? "")}&task_id=${encodeURIComponent(event.source_task_id ?? "")}`}
          >
            {event.source_dag_id}.{event.source_task_id}
          </Link>
        ) : (
          <span>created by {event.created_by ?? "the API"}</span>
        )}
        {event.source_alias && <span className="muted"> via alias {event.source_alias}</span>}
      </td>
      <td className="small mono">{JSON.stringify(event.extra)}</td>
    </tr>
  );
}

import { Link } from "react-router";
import { type Asset, useAssets } from "../../api/assets";
import { EmptyState } from "../../components/EmptyState";
import { QueryView } from "../../components/QueryView";
import { formatRelative } from "../../lib/format";
import { usePaging, useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { Lineage } from "./Lineage";
import { dagLink } from "./links";
import { PagedTable } from "./PagedTable";

/** Assets registered from DAG documents: who produces them, who schedules on them, their latest event; and the lineage graph. */
export function Assets() {
  const [params, update] = useUrlState();
  const { limit, offset } = usePaging();
  const pattern = params.get("uri") ?? "";
  const assets = useAssets({ uri_pattern: pattern || undefined, limit, offset });
  return (
    <div className="page">
      <h1 className="page-title">Assets</h1>
      <input
        className="search"
        type="search"
        placeholder="Filter by URI"
        aria-label="Filter assets by URI"
        value={pattern}
        data-testid={TID.assetSearch}
        onChange={(event) => update({ uri: event.target.value || null, offset: null })}
      />
      <QueryView query={assets}>
        {(data) =>
          data.assets.length === 0 ? (
            <EmptyState title="No assets.">
              A task&apos;s <code>outlets=[Asset(&quot;s3://…&quot;)]</code> or a DAG&apos;s <code>schedule=[Asset(…)]</code> registers one
              when its file is parsed.
            </EmptyState>
          ) : (
            <PagedTable headers={["Asset", "Produced by", "Scheduled DAGs", "Latest event"]} total={data.total_entries}>
              {data.assets.map((asset) => (
                <AssetRow key={asset.id} asset={asset} />
              ))}
            </PagedTable>
          )
        }
      </QueryView>
      <Lineage />
    </div>
  );
}

function AssetRow({ asset }: { asset: Asset }) {
  const event = asset.latest_event;
  return (
    <tr data-testid={TID.assetRow} data-uri={asset.uri}>
      <td>
        <Link className="mono" to={`/assets/${asset.id}`}>
          {asset.uri}
        </Link>
        {asset.name !== asset.uri && <div className="muted small">{asset.name}</div>}
      </td>
      <td className="small" data-cell="producers">
        {asset.producing_tasks.map((t) => (
          <div key={`${t.dag_id}.${t.task_id}`}>
            <Link to={dagLink(t.dag_id)}>{t.dag_id}</Link>
            <span className="muted">.{t.task_id}</span>
          </div>
        ))}
      </td>
      <td className="small" data-cell="consumers">
        {asset.consuming_dags.map((dagId) => (
          <div key={dagId}>
            <Link to={dagLink(dagId)}>{dagId}</Link>
          </div>
        ))}
      </td>
      <td className="small" data-cell="latest">
        {event ? (
          <span title={event.timestamp}>
            {formatRelative(event.timestamp)}
            {event.source_dag_id ? ` by ${event.source_dag_id}` : event.created_by ? ` by ${event.created_by} (API)` : ""}
          </span>
        ) : (
          <span className="muted">never</span>
        )}
      </td>
    </tr>
  );
}

import { Link } from "react-router";
import { useRunAssetEvents } from "../../api/assets";
import { QueryView } from "../../components/QueryView";
import { formatDate } from "../../lib/format";
import { TID } from "../../testids";
import { dagLink } from "./links";

/** The run drawer's "Triggered by": the asset events an asset-triggered run consumed. */
export function RunAssetEvents({ dagId, runId, runType }: { dagId: string; runId: string; runType: string }) {
  const isAssetRun = runType === "asset_triggered";
  const events = useRunAssetEvents(dagId, runId, isAssetRun);
  if (!isAssetRun) return null;
  return (
    <section data-testid={TID.runAssetEvents}>
      <h3>Triggered by</h3>
      <QueryView query={events}>
        {(data) => (
          <ul className="small">
            {data.asset_events.map((event) => (
              <li key={event.id} data-event-id={event.id}>
                <Link className="mono" to={`/assets/${event.asset_id}`}>
                  {event.uri}
                </Link>{" "}
                {event.source_dag_id ? (
                  <>
                    from <Link to={dagLink(event.source_dag_id)}>{event.source_dag_id}</Link>.{event.source_task_id}
                  </>
                ) : (
                  `created by ${event.created_by ?? "the API"}`
                )}{" "}
                <span className="muted">{formatDate(event.timestamp)}</span>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

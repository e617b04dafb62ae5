import { useXComs } from "../../api/hooks";
import { QueryView } from "../../components/QueryView";
import { formatDate } from "../../lib/format";
import { TID } from "../../testids";

/** What the task handed to downstream tasks (its return value and pushed keys), masked and bounded. */
export function XComs({ dagId, runId, taskId, mapIndex = -1 }: { dagId: string; runId: string; taskId: string; mapIndex?: number }) {
  const xcoms = useXComs(dagId, runId, taskId, mapIndex);
  return (
    <details className="section" open data-testid={TID.xcoms}>
      <summary>XComs</summary>
      <QueryView query={xcoms} rows={1}>
        {(data) =>
          data.xcom_entries.length === 0 ? (
            <p className="muted small">No XComs.</p>
          ) : (
            <dl className="attributes">
              {data.xcom_entries.map((entry) => (
                <div key={entry.key} className="rendered" data-testid={TID.xcomEntry} data-key={entry.key}>
                  <dt title={formatDate(entry.timestamp)}>{entry.key}</dt>
                  <dd>
                    <pre className="log">{typeof entry.value === "string" ? entry.value : JSON.stringify(entry.value, null, 2)}</pre>
                    {entry.truncated && <span className="muted small">Cut to the first 64 KB.</span>}
                  </dd>
                </div>
              ))}
            </dl>
          )
        }
      </QueryView>
    </details>
  );
}

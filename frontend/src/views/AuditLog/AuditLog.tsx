import { useEventLogs } from "../../api/auth";
import { EmptyState } from "../../components/EmptyState";
import { Pagination } from "../../components/Pagination";
import { QueryView } from "../../components/QueryView";
import { formatDate } from "../../lib/format";
import { usePaging, useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";

const OUTCOMES = ["", "success", "failed", "denied"];
const FILTERS = ["username", "event", "dag_id", "outcome"] as const;

/** The audit trail (admins): who changed what, when, from where, and whether it worked. */
export function AuditLog() {
  const { limit, offset, setPage } = usePaging();
  const [params, update] = useUrlState();
  const filters = Object.fromEntries(FILTERS.map((key) => [key, params.get(key) ?? undefined]));
  const logs = useEventLogs({ ...filters, limit, offset });
  const filter = (key: (typeof FILTERS)[number], label: string) => (
    <input
      key={key}
      placeholder={label}
      defaultValue={filters[key] ?? ""}
      onKeyDown={(e) => e.key === "Enter" && update({ [key]: e.currentTarget.value || null, offset: null })}
      onBlur={(e) => update({ [key]: e.currentTarget.value || null, offset: null })}
      aria-label={`Filter by ${label}`}
    />
  );
  return (
    <div className="page">
      <h1 className="page-title">Audit log</h1>
      <div className="actions">
        {filter("username", "user")}
        {filter("event", "event (e.g. trigger)")}
        {filter("dag_id", "DAG id")}
        <select
          value={filters.outcome ?? ""}
          onChange={(e) => update({ outcome: e.target.value || null, offset: null })}
          aria-label="Filter by outcome"
        >
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o || "any outcome"}
            </option>
          ))}
        </select>
      </div>
      <QueryView query={logs}>
        {(data) =>
          data.event_logs.length === 0 ? (
            <EmptyState title="No events match.">Logins, triggers, clears, marks, pauses and account changes appear here.</EmptyState>
          ) : (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th>When</th>
                    <th>Who</th>
                    <th>Event</th>
                    <th>Outcome</th>
                    <th>DAG</th>
                    <th>Target</th>
                    <th>From</th>
                  </tr>
                </thead>
                <tbody>
                  {data.event_logs.map((e) => (
                    <tr key={e.id} data-testid={TID.auditRow} data-event={e.event} data-outcome={e.outcome}>
                      <td className="nowrap small">{formatDate(e.at)}</td>
                      <td>{e.username ?? "—"}</td>
                      <td title={e.detail ? JSON.stringify(e.detail) : undefined}>{e.event}</td>
                      <td className={e.outcome === "success" ? "" : "warn"}>{e.outcome}</td>
                      <td>{e.dag_id ?? ""}</td>
                      <td className="ellipsis small">{e.target ?? ""}</td>
                      <td className="small">{e.address ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pagination offset={offset} limit={limit} total={data.total_entries} onChange={setPage} />
            </>
          )
        }
      </QueryView>
    </div>
  );
}

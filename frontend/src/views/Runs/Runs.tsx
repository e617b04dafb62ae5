import { Link } from "react-router";
import { useDagRuns } from "../../api/hooks";
import { EmptyState } from "../../components/EmptyState";
import { Pagination } from "../../components/Pagination";
import { QueryView } from "../../components/QueryView";
import { StateBadge } from "../../components/StateBadge";
import { formatDate, formatDuration } from "../../lib/format";
import { usePaging, useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";

const RUN_STATES = ["queued", "running", "success", "failed"];

function seconds(start: string | null, end: string | null) {
  if (!start) return null;
  return ((end ? Date.parse(end) : Date.now()) - Date.parse(start)) / 1000;
}

/** Every run of the DAG, newest first, filterable by state. */
export function Runs({ dagId }: { dagId: string }) {
  const [params, update] = useUrlState();
  const { limit, offset, setPage } = usePaging();
  const state = params.getAll("state");
  const runs = useDagRuns(dagId, { limit, offset, state });
  const toggle = (value: string) =>
    update({ state: state.includes(value) ? state.filter((s) => s !== value) : [...state, value], offset: null });
  return (
    <div>
      <div className="toolbar">
        <div className="chips" role="group" aria-label="State filter">
          {RUN_STATES.map((value) => (
            <button
              type="button"
              key={value}
              className={state.includes(value) ? "chip chip-active" : "chip"}
              onClick={() => toggle(value)}
              aria-pressed={state.includes(value)}
            >
              {value}
            </button>
          ))}
        </div>
      </div>
      <QueryView query={runs}>
        {(data) =>
          data.dag_runs.length === 0 ? (
            <EmptyState title={state.length ? "No runs in these states." : "No runs yet."}>
              Trigger a run with the ▶ Trigger button, or unpause the DAG so the scheduler creates them.
            </EmptyState>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th>Run</th>
                      <th>State</th>
                      <th>Type</th>
                      <th>Logical date</th>
                      <th>Started</th>
                      <th>Duration</th>
                      <th>Version</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.dag_runs.map((run) => (
                      <tr key={run.run_id} data-testid={TID.runRow} data-run-id={run.run_id}>
                        <td>
                          <Link
                            to={`/dags/${encodeURIComponent(dagId)}/grid?run_id=${encodeURIComponent(run.run_id)}&panel=run`}
                            className="mono small"
                          >
                            {run.run_id}
                          </Link>
                          {run.note && <div className="muted small">{run.note}</div>}
                        </td>
                        <td>
                          <StateBadge state={run.state} />
                        </td>
                        <td className="small">{run.run_type}</td>
                        <td className="small">{formatDate(run.logical_date)}</td>
                        <td className="small">{formatDate(run.start_date)}</td>
                        <td className="small">{formatDuration(seconds(run.start_date, run.end_date))}</td>
                        <td className="small">
                          <Link
                            to={`/dags/${encodeURIComponent(dagId)}/graph?run_id=${encodeURIComponent(run.run_id)}`}
                            title="Graph of the version this run ran with"
                          >
                            v{run.version_number}
                          </Link>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination offset={offset} limit={limit} total={data.total_entries} onChange={setPage} />
            </>
          )
        }
      </QueryView>
    </div>
  );
}

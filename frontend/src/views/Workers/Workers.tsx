import { Link } from "react-router";
import { useWorkers } from "../../api/hooks";
import type { Worker } from "../../api/types";
import { EmptyState } from "../../components/EmptyState";
import { Pagination } from "../../components/Pagination";
import { QueryView } from "../../components/QueryView";
import { formatDate, formatRelative } from "../../lib/format";
import { usePaging } from "../../lib/useSearchParam";
import { TID } from "../../testids";

const STATE_TITLE: Record<string, string> = {
  alive: "heartbeating",
  lost: "no heartbeat for three intervals: its running tries are retried once their own heartbeat times out",
  stopped: "shut down cleanly",
};

/** The Celery workers (`dagkeeper worker`), read from the database: queues, running tries, heartbeat. */
export function Workers() {
  const { limit, offset, setPage } = usePaging();
  const workers = useWorkers({ limit, offset });
  return (
    <div className="page">
      <h1 className="page-title">Workers</h1>
      <QueryView query={workers}>
        {(data) =>
          data.workers.length === 0 ? (
            <EmptyState title="No workers have registered.">
              With <code>DAGKEEPER_EXECUTOR=celery</code>, start <code>dagkeeper worker</code> on each host; with the local executor the
              scheduler runs tasks itself.
            </EmptyState>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th>Host</th>
                      <th>State</th>
                      <th>Queues</th>
                      <th>Running</th>
                      <th>Last heartbeat</th>
                      <th>Started</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.workers.map((worker) => (
                      <WorkerRow key={worker.hostname} worker={worker} />
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

function WorkerRow({ worker }: { worker: Worker }) {
  return (
    <tr data-testid={TID.workerRow} data-hostname={worker.hostname} data-state={worker.state}>
      <td>
        <span className="mono">{worker.hostname}</span>
        <div className="muted small">pid {worker.pid}</div>
      </td>
      <td className="small" title={STATE_TITLE[worker.state]}>
        {worker.state}
      </td>
      <td className="small">{worker.queues.join(", ")}</td>
      <td className="small">
        {worker.running.length} of {worker.concurrency}
        {worker.running.map((t) => (
          <div key={`${t.dag_id}/${t.run_id}/${t.task_id}`}>
            <Link
              className="mono"
              to={`/dags/${encodeURIComponent(t.dag_id)}/grid?run_id=${encodeURIComponent(t.run_id)}&task_id=${encodeURIComponent(t.task_id)}`}
            >
              {t.dag_id}.{t.task_id}
            </Link>{" "}
            <span className="muted">try {t.try_number}</span>
          </div>
        ))}
      </td>
      <td className="small" title={formatDate(worker.last_heartbeat_at)}>
        {formatRelative(worker.last_heartbeat_at)}
      </td>
      <td className="small">{formatDate(worker.started_at)}</td>
    </tr>
  );
}

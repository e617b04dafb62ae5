/** The home page: are the processor, scheduler(s) and workers alive, and how did the last hours go? */
import { Link } from "react-router";
import { useHome } from "../../api/insights";
import type { ComponentHealth, DagStats, HomeResponse } from "../../api/types";
import { QueryView } from "../../components/QueryView";
import { formatDuration, formatRelative } from "../../lib/format";
import { intParam, useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { LEGEND_ORDER, stateStyle } from "../../theme/states";
import "./home.css";

const WINDOWS = [
  [24, "24 hours"],
  [168, "7 days"],
] as const;

export default function Home() {
  const [params, update] = useUrlState();
  const hours = intParam(params, "hours", 24, [24, 168]);
  const home = useHome(hours);
  return (
    <div className="page home">
      <div className="home-head">
        <h1>Overview</h1>
        <div className="segmented" role="group" aria-label="Time window">
          {WINDOWS.map(([value, label]) => (
            <button
              type="button"
              key={value}
              className={hours === value ? "active" : ""}
              aria-pressed={hours === value}
              onClick={() => update({ hours: value === 24 ? null : value })}
            >
              {label}
            </button>
          ))}
        </div>
        <Link to="/" className="home-all-dags">
          All DAGs →
        </Link>
      </div>
      <QueryView query={home}>{(data) => <Overview data={data} />}</QueryView>
    </div>
  );
}

function Overview({ data }: { data: HomeResponse }) {
  const now = Date.parse(data.now);
  const window = data.hours === 24 ? "last 24 hours" : `last ${data.hours / 24} days`;
  return (
    <div className="home-grid">
      <section className="home-card home-health" aria-labelledby="health-title" data-testid={TID.homeHealth}>
        <h2 id="health-title">Components</h2>
        <Components components={data.components} expected={data.expected} now={now} />
      </section>
      <section className="home-card" aria-labelledby="runs-title">
        <h2 id="runs-title">Runs, {window}</h2>
        <StateBars counts={data.runs} label="runs" testId={TID.homeRuns} />
        <h2 id="tasks-title">Task instances of those runs</h2>
        <StateBars counts={data.task_instances} label="task instances" testId={TID.homeTasks} />
      </section>
      <section className="home-card" aria-labelledby="errors-title" data-testid={TID.homeImportErrors}>
        <h2 id="errors-title">Import errors</h2>
        {data.import_errors.total === 0 ? (
          <p className="muted small">Every DAG file imports.</p>
        ) : (
          <>
            <p className="small">
              <Link to="/import-errors">
                {data.import_errors.total} file{data.import_errors.total === 1 ? "" : "s"} failing to import
              </Link>
            </p>
            <ul className="home-list small">
              {data.import_errors.recent.map((error) => (
                <li key={error.filename}>
                  <code>{error.filename}</code> <span className="muted">{error.message}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section className="home-card" aria-labelledby="slow-title">
        <h2 id="slow-title">Slowest DAGs, {window}</h2>
        <DagTable rows={data.slowest_dags} value={(r) => formatDuration(r.mean_seconds)} valueLabel="mean run" testId={TID.homeSlowest} />
      </section>
      <section className="home-card" aria-labelledby="failing-title">
        <h2 id="failing-title">Most failing DAGs, {window}</h2>
        <DagTable rows={data.failing_dags} value={(r) => `${r.failed} of ${r.runs}`} valueLabel="failed runs" testId={TID.homeFailing} />
      </section>
    </div>
  );
}

/** ``expected``: kinds shown even when never seen (the server says which this deployment needs). */
function Components({ components, expected, now }: { components: ComponentHealth[]; expected: string[]; now: number }) {
  const kinds = [...new Set([...expected, ...components.map((c) => c.kind)])];
  return (
    <ul className="home-components">
      {kinds.map((kind) => {
        const instances = components.filter((c) => c.kind === kind);
        const up = instances.some((c) => c.healthy);
        return (
          <li key={kind} data-testid={TID.homeComponent} data-kind={kind} data-healthy={up ? "true" : "false"}>
            <span className={`health-dot ${up ? "up" : "down"}`} aria-hidden />
            <strong>{kind}</strong> <span className={up ? "health-up" : "health-down"}>{up ? "up" : "down"}</span>
            {instances.length === 0 ? (
              <div className="muted small">never seen: is it running?</div>
            ) : (
              <ul className="home-instances small">
                {instances.map((c) => (
                  <li key={`${c.hostname}:${c.pid}:${c.started_at}`}>
                    {c.hostname} · pid {c.pid} · {c.healthy ? "beat" : "last beat"} {formatRelative(c.last_heartbeat, now)}
                    {c.healthy ? "" : " (stopped or stuck)"} · started {formatRelative(c.started_at, now)}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function StateBars({ counts, label, testId }: { counts: Record<string, number>; label: string; testId: string }) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0) return <p className="muted small">No {label}.</p>;
  const states = LEGEND_ORDER.filter((state) => counts[state]).concat(
    Object.keys(counts).filter((s) => !LEGEND_ORDER.includes(s as never)) as never[],
  );
  return (
    <div data-testid={testId}>
      <div className="home-bar" role="img" aria-label={states.map((s) => `${counts[s]} ${stateStyle(s).label}`).join(", ")}>
        {states.map((state) => (
          <span
            key={state}
            style={{ flexGrow: counts[state], background: stateStyle(state).color }}
            title={`${counts[state]} ${stateStyle(state).label}`}
          />
        ))}
      </div>
      <ul className="home-counts small">
        {states.map((state) => (
          <li key={state} data-state={state}>
            <span className="state-square" style={{ background: stateStyle(state).color }} aria-hidden /> {stateStyle(state).label}{" "}
            <strong>{counts[state]}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

function DagTable({
  rows,
  value,
  valueLabel,
  testId,
}: {
  rows: DagStats[];
  value: (row: DagStats) => string;
  valueLabel: string;
  testId: string;
}) {
  if (rows.length === 0) return <p className="muted small">No finished runs.</p>;
  return (
    <table className="table home-table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">DAG</th>
          <th scope="col">{valueLabel}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.dag_id} data-dag-id={row.dag_id}>
            <td>
              <Link to={`/dags/${encodeURIComponent(row.dag_id)}/grid`}>{row.dag_id}</Link>
            </td>
            <td className="small">{value(row)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

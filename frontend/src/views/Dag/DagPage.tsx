import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect } from "react";
import { Link, NavLink, useNavigate, useParams } from "react-router";
import { useDagEdit } from "../../api/auth";
import { useDag, usePauseDag } from "../../api/hooks";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Skeleton } from "../../components/Skeleton";
import { StateBadge } from "../../components/StateBadge";
import { formatDate } from "../../lib/format";
import { useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { ActiveBackfill, Backfills } from "../Backfill/Backfills";
import { Grid } from "../Grid/Grid";
import { DagOperations } from "../Operations/Operations";
import { Runs } from "../Runs/Runs";
import { Versions } from "../Versions/Versions";
import { prefetchTab } from "./prefetch";

// Heavier views (layout worker, highlighter, Markdown) load on first visit only.
const Graph = lazy(() => import("../Graph/Graph"));
const Code = lazy(() => import("../Code/Code"));
const Details = lazy(() => import("../Details/Details"));
const Gantt = lazy(() => import("../Gantt/Gantt"));
const Calendar = lazy(() => import("../Calendar/Calendar"));
// Drawers and dialogs open on a click or a link: they load then, not with every page.
const TaskInstanceDrawer = lazy(() => import("../TaskInstance/TaskInstanceDrawer").then((m) => ({ default: m.TaskInstanceDrawer })));
const RunDrawer = lazy(() => import("../TaskInstance/RunDrawer").then((m) => ({ default: m.RunDrawer })));
const TriggerDialog = lazy(() => import("../Trigger/TriggerDialog").then((m) => ({ default: m.TriggerDialog })));
const BackfillDialog = lazy(() => import("../Backfill/BackfillDialog").then((m) => ({ default: m.BackfillDialog })));

const TABS = ["grid", "graph", "gantt", "calendar", "runs", "backfills", "code", "details", "versions"] as const;
type Tab = (typeof TABS)[number];

export function DagPage() {
  const { dagId = "", tab = "grid" } = useParams();
  const dag = useDag(dagId);
  const pause = usePauseDag();
  const edit = useDagEdit(dagId);
  const [params, update] = useUrlState();
  const navigate = useNavigate();
  const runId = params.get("run_id");
  const taskId = params.get("task_id");
  const closeDrawer = () => update({ task_id: null, panel: null, try: null });
  const client = useQueryClient();
  const compare = params.get("compare");
  // biome-ignore lint/correctness/useExhaustiveDependencies: params is read for run_id and compare only, listed
  useEffect(() => prefetchTab(client, dagId, tab, params), [client, dagId, tab, runId, compare]);

  if (dag.isError && !dag.data) {
    return (
      <div className="page">
        <ErrorPanel error={dag.error} onRetry={() => void dag.refetch()} />
        <Link to="/">Back to the DAG list</Link>
      </div>
    );
  }
  const paused = pause.isPending ? pause.variables.isPaused : dag.data?.is_paused;
  const keep = new URLSearchParams();
  if (runId) keep.set("run_id", runId);
  const carry = keep.toString() ? `?${keep}` : "";

  return (
    <div className="page dag-page">
      <header className="dag-head">
        <div className="dag-title">
          <Link to="/" className="muted small">
            DAGs /
          </Link>
          <h1>{dagId}</h1>
          {dag.data && (
            <label className="switch" title={edit.allowed ? (paused ? "Paused: click to unpause" : "Active: click to pause") : edit.reason}>
              <input
                type="checkbox"
                checked={!paused}
                disabled={!edit.allowed}
                onChange={() => pause.mutate({ dagId, isPaused: !paused })}
                aria-label={paused ? "Unpause" : "Pause"}
                data-testid={TID.pauseToggle}
              />
              <span />
            </label>
          )}
          {dag.data?.has_import_errors && (
            <Link to="/import-errors" className="warn-dot" title="The DAG file currently fails to import">
              !
            </Link>
          )}
        </div>
        {dag.data ? (
          <div className="dag-meta small">
            <span title={dag.data.schedule.expression ?? ""}>
              <span className="muted">Schedule</span> {dag.data.schedule.summary}
            </span>
            <span>
              <span className="muted">Next run</span> {formatDate(dag.data.next_dagrun)}
            </span>
            <span>
              <span className="muted">Latest</span> {dag.data.latest_run ? <StateBadge state={dag.data.latest_run.state} /> : "never"}
            </span>
            <span>
              <span className="muted">Owner</span> {dag.data.owners.join(", ")}
            </span>
            <ActiveBackfill dagId={dagId} />
            {edit.allowed && (
              <button
                type="button"
                className="button primary"
                onClick={() => update({ trigger: "1" }, { replace: false })}
                data-testid={TID.triggerButton}
              >
                ▶ Trigger
              </button>
            )}
            {edit.allowed && (
              <button
                type="button"
                className="button"
                onClick={() => update({ backfill: "1" }, { replace: false })}
                data-testid={TID.backfillButton}
              >
                Backfill…
              </button>
            )}
            <DagOperations dag={dag.data} />
          </div>
        ) : (
          <Skeleton rows={1} />
        )}
      </header>
      <nav className="tabs" aria-label="DAG views">
        {TABS.map((name) => (
          <NavLink
            key={name}
            to={`/dags/${encodeURIComponent(dagId)}/${name}${name === "grid" || name === "graph" || name === "gantt" ? carry : ""}`}
            className={name === tab ? "active" : ""}
          >
            {name}
          </NavLink>
        ))}
      </nav>
      <section className="tab-body">
        <Suspense fallback={<Skeleton rows={8} />}>
          <TabContent tab={tab as Tab} dagId={dagId} />
        </Suspense>
      </section>
      <Suspense fallback={null}>
        {runId && taskId ? (
          <TaskInstanceDrawer dagId={dagId} runId={runId} taskId={taskId} onClose={closeDrawer} />
        ) : runId && params.get("panel") === "run" ? (
          <RunDrawer dagId={dagId} runId={runId} onClose={closeDrawer} />
        ) : null}
        {params.get("trigger") && <TriggerDialog dagId={dagId} onClose={() => update({ trigger: null })} />}
        {params.get("backfill") && (
          <BackfillDialog
            dagId={dagId}
            onClose={() => update({ backfill: null })}
            onCreated={() => navigate(`/dags/${encodeURIComponent(dagId)}/backfills`)}
          />
        )}
      </Suspense>
    </div>
  );
}

function TabContent({ tab, dagId }: { tab: Tab; dagId: string }) {
  switch (tab) {
    case "grid":
      return <Grid dagId={dagId} />;
    case "graph":
      return <Graph dagId={dagId} />;
    case "gantt":
      return <Gantt dagId={dagId} />;
    case "calendar":
      return <Calendar dagId={dagId} />;
    case "runs":
      return <Runs dagId={dagId} />;
    case "backfills":
      return <Backfills dagId={dagId} />;
    case "code":
      return <Code dagId={dagId} />;
    case "details":
      return <Details dagId={dagId} />;
    case "versions":
      return <Versions dagId={dagId} />;
    default:
      return <ErrorPanel error={new Error(`Unknown view "${tab}".`)} />;
  }
}

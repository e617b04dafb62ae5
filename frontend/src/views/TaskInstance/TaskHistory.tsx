/** In the task drawer: the task's duration and tries in each recent run, as bars (click opens that run's instance). */
import { useTaskHistory } from "../../api/insights";
import { formatDate, formatDuration } from "../../lib/format";
import { useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { stateStyle } from "../../theme/states";
import "./taskHistory.css";

const HEIGHT = 56;

export function TaskHistory({ dagId, taskId, runId }: { dagId: string; taskId: string; runId: string }) {
  const history = useTaskHistory(dagId, taskId);
  const [, update] = useUrlState();
  const runs = history.data?.runs ?? [];
  if (!history.data) return null;
  const longest = Math.max(1, ...runs.map((r) => r.duration ?? 0));
  const finished = runs.filter((r) => r.duration !== null);
  const mean = finished.length ? finished.reduce((sum, r) => sum + (r.duration ?? 0), 0) / finished.length : null;
  return (
    <details className="section" open>
      <summary>Duration and tries over runs</summary>
      {runs.length === 0 ? (
        <p className="muted small">No runs of this task yet.</p>
      ) : (
        <>
          <div className="task-history" data-testid={TID.taskHistory} style={{ height: HEIGHT + 14 }}>
            {runs.map((run) => {
              const label = `${run.run_id}: ${stateStyle(run.state).label}, ${formatDuration(run.duration)}, ${run.try_number} ${run.try_number === 1 ? "try" : "tries"} (${formatDate(run.logical_date)})`;
              return (
                <button
                  type="button"
                  key={run.run_id}
                  className={`task-history-bar${run.run_id === runId ? " current" : ""}`}
                  data-run-id={run.run_id}
                  data-state={run.state ?? ""}
                  data-tries={run.try_number}
                  aria-label={label}
                  title={label}
                  onClick={() => update({ run_id: run.run_id, try: null })}
                >
                  <span
                    style={{ height: Math.max(3, ((run.duration ?? 0) / longest) * HEIGHT), background: stateStyle(run.state).color }}
                  />
                  <small aria-hidden>{run.try_number > 1 ? `×${run.try_number}` : ""}</small>
                </button>
              );
            })}
          </div>
          <p className="muted small">
            {runs.length} runs · mean {formatDuration(mean)} · longest {formatDuration(finished.length ? longest : null)} · retried in{" "}
            {runs.filter((r) => r.try_number > 1).length}
          </p>
        </>
      )}
    </details>
  );
}

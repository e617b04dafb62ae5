import { Link } from "react-router";
import { useDagEdit } from "../../api/auth";
import { type BackfillAction, useBackfillAction, useBackfills } from "../../api/backfills";
import type { Backfill } from "../../api/types";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { QueryView } from "../../components/QueryView";
import { formatDate } from "../../lib/format";
import { TID } from "../../testids";
import { stateStyle } from "../../theme/states";
import { progressOf, statusOf } from "./backfillModel";

/** A DAG's backfills, newest first, with live progress (refetched on each run change) and controls. */
export function Backfills({ dagId }: { dagId: string }) {
  const backfills = useBackfills(dagId);
  const action = useBackfillAction(dagId);
  const edit = useDagEdit(dagId);
  return (
    <div>
      {action.error ? <ErrorPanel error={action.error} /> : null}
      <QueryView query={backfills}>
        {(data) =>
          data.backfills.length === 0 ? (
            <EmptyState title="No backfills yet.">Run the DAG over past dates with the Backfill button.</EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>Range</th>
                    <th>Status</th>
                    <th>Progress</th>
                    <th>Options</th>
                    <th>Created</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.backfills.map((backfill) => (
                    <BackfillRow
                      key={backfill.id}
                      backfill={backfill}
                      allowed={edit.allowed}
                      reason={edit.reason}
                      busy={action.isPending}
                      onAction={(name) => action.mutate({ id: backfill.id, action: name })}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </div>
  );
}

function BackfillRow({
  backfill,
  allowed,
  reason,
  busy,
  onAction,
}: {
  backfill: Backfill;
  allowed: boolean;
  reason?: string;
  busy: boolean;
  onAction: (action: BackfillAction) => void;
}) {
  const status = statusOf(backfill);
  const { done, total, parts } = progressOf(backfill);
  const button = (name: BackfillAction, text: string, testId: string, danger = false) => (
    <button
      type="button"
      className={danger ? "button small danger" : "button small"}
      disabled={!allowed || busy}
      title={allowed ? undefined : reason}
      onClick={() => onAction(name)}
      data-testid={testId}
    >
      {text}
    </button>
  );
  return (
    <tr data-testid={TID.backfillRow} data-backfill-id={backfill.id} data-status={status}>
      <td className="mono small">{backfill.id}</td>
      <td className="small">
        {formatDate(backfill.from_date)} → {formatDate(backfill.to_date)}
      </td>
      <td className="small">{status}</td>
      <td>
        <div className="backfill-progress" data-testid={TID.backfillProgress} data-done={done} data-total={total}>
          <div className="backfill-bar" role="img" aria-label={`${done} of ${total} runs finished`}>
            {parts.map(([state, count]) => (
              <span key={state} style={{ flexGrow: count, background: stateStyle(state).color }} title={`${count} ${state}`} />
            ))}
          </div>
          <span className="small">
            {done}/{total} done
            {parts.length ? ` · ${parts.map(([state, count]) => `${count} ${state}`).join(", ")}` : ""}
          </span>
        </div>
      </td>
      <td className="small">
        {backfill.reprocess_behavior === "none" ? "new dates" : `re-run ${backfill.reprocess_behavior}`} · max {backfill.max_active_runs}
        {backfill.run_backwards ? " · newest first" : ""}
      </td>
      <td className="small">
        {formatDate(backfill.created_at)}
        {backfill.created_by ? <div className="muted">{backfill.created_by}</div> : null}
      </td>
      <td className="row-actions">
        {status === "running" && button("pause", "Pause", TID.backfillPause)}
        {status === "paused" && button("unpause", "Resume", TID.backfillUnpause)}
        {status !== "completed" && button("cancel", "Cancel", TID.backfillCancel, true)}
      </td>
    </tr>
  );
}

/** The DAG page header's live note of a backfill in progress (a DAG has one at a time). */
export function ActiveBackfill({ dagId }: { dagId: string }) {
  const active = useBackfills(dagId).data?.backfills.find((backfill) => !backfill.completed_at);
  if (!active) return null;
  const { done, total } = progressOf(active);
  return (
    <Link to={`/dags/${encodeURIComponent(dagId)}/backfills`} data-testid={TID.backfillActive}>
      <span className="muted">Backfill</span> {done}/{total} done{active.is_paused ? " (paused)" : ""}
    </Link>
  );
}

import { Link } from "react-router";
import { useDagEdit } from "../../api/auth";
import { useDagRun, useSetRunNote, useSetRunState } from "../../api/hooks";
import { Drawer } from "../../components/Drawer";
import { ErrorPanel } from "../../components/ErrorPanel";
import { QueryView } from "../../components/QueryView";
import { StateBadge } from "../../components/StateBadge";
import { formatDate } from "../../lib/format";
import { TID } from "../../testids";
import { RunAssetEvents } from "../Assets/RunAssetEvents";
import { NoteEditor } from "./NoteEditor";

/** One run's attributes and run-level actions, opened from the grid's run header. */
export function RunDrawer({ dagId, runId, onClose }: { dagId: string; runId: string; onClose: () => void }) {
  const run = useDagRun(dagId, runId);
  const setState = useSetRunState(dagId);
  const edit = useDagEdit(dagId);
  const setNote = useSetRunNote(dagId);
  return (
    <Drawer title={`Run ${runId}`} onClose={onClose} testId={TID.runDrawer}>
      <QueryView query={run}>
        {(data) => (
          <>
            <dl className="attributes">
              <dt>State</dt>
              <dd>
                <StateBadge state={data.state} />
              </dd>
              <dt>Type</dt>
              <dd>{data.run_type}</dd>
              <dt>Logical date</dt>
              <dd>{formatDate(data.logical_date)}</dd>
              <dt>Data interval</dt>
              <dd>
                {formatDate(data.data_interval_start)} → {formatDate(data.data_interval_end)}
              </dd>
              <dt>Queued</dt>
              <dd>{formatDate(data.queued_at)}</dd>
              <dt>Started</dt>
              <dd>{formatDate(data.start_date)}</dd>
              <dt>Ended</dt>
              <dd>{formatDate(data.end_date)}</dd>
              <dt>Version</dt>
              <dd>
                <Link to={`/dags/${encodeURIComponent(dagId)}/graph?run_id=${encodeURIComponent(runId)}`}>
                  v{data.version_number} (graph)
                </Link>
              </dd>
            </dl>
            <NoteEditor
              note={data.note}
              edit={edit}
              save={{ mutate: (note) => setNote.mutate({ runId, note }), isPending: setNote.isPending, error: setNote.error }}
            />
            <RunAssetEvents dagId={dagId} runId={runId} runType={data.run_type} />
            <h3>Conf</h3>
            <pre className="log">{JSON.stringify(data.conf ?? {}, null, 2)}</pre>
            <div className="actions">
              <button
                type="button"
                className="button"
                disabled={setState.isPending || data.state === "success" || !edit.allowed}
                title={edit.reason || undefined}
                onClick={() => setState.mutate({ runId, state: "success" })}
              >
                Mark success
              </button>
              <button
                type="button"
                className="button danger"
                disabled={setState.isPending || data.state === "failed" || !edit.allowed}
                title={edit.reason || undefined}
                onClick={() => setState.mutate({ runId, state: "failed" })}
              >
                Mark failed
              </button>
              <button
                type="button"
                className="button"
                disabled={setState.isPending || data.state === "queued" || !edit.allowed}
                title={edit.reason || undefined}
                onClick={() => setState.mutate({ runId, state: "queued" })}
              >
                Re-queue
              </button>
            </div>
            {setState.error && <ErrorPanel error={setState.error} />}
          </>
        )}
      </QueryView>
    </Drawer>
  );
}

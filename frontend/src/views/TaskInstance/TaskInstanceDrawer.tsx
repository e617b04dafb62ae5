import { useState } from "react";
import { useDagEdit } from "../../api/auth";
import {
  logDownloadPath,
  useClearTaskInstances,
  useSetTaskInstanceNote,
  useSetTaskInstanceState,
  useStructure,
  useTaskInstance,
} from "../../api/hooks";
import type { ClearResult, TaskInstanceDetail } from "../../api/types";
import { Drawer } from "../../components/Drawer";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Modal } from "../../components/Modal";
import { QueryView } from "../../components/QueryView";
import { StateBadge } from "../../components/StateBadge";
import { formatDate, formatDuration } from "../../lib/format";
import { intParam, useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { CrossDagLink } from "./CrossDagLink";
import { MappedInstances } from "./MappedInstances";
import { NoteEditor } from "./NoteEditor";
import { TaskHistory } from "./TaskHistory";
import { useLogTail } from "./useLogTail";
import { VirtualLog } from "./VirtualLog";
import { XComs } from "./XComs";

/** A task instance: attributes, rendered templates, tries, the selected try's log and actions. */
export function TaskInstanceDrawer({
  dagId,
  runId,
  taskId,
  onClose,
}: {
  dagId: string;
  runId: string;
  taskId: string;
  onClose: () => void;
}) {
  const [params, update] = useUrlState();
  const structure = useStructure(dagId, runId);
  const mapped = structure.data?.structure.nodes.some((node) => node.id === taskId && node.is_mapped) ?? false;
  const mapIndex = mapped ? intParam(params, "map_index", -1) : -1;
  return (
    <Drawer title={mapIndex >= 0 ? `${taskId} [${mapIndex}]` : taskId} onClose={onClose} testId={TID.tiDrawer}>
      <p className="muted small mono">{runId}</p>
      {mapped && mapIndex < 0 ? (
        <MappedInstances
          dagId={dagId}
          runId={runId}
          taskId={taskId}
          onOpen={(index) => update({ map_index: index, try: null })}
          unexpanded={<TaskInstanceLoader dagId={dagId} runId={runId} taskId={taskId} mapIndex={-1} />}
        />
      ) : (
        <>
          {mapped && (
            <button type="button" className="button" onClick={() => update({ map_index: null, try: null })} data-testid={TID.mappedBack}>
              ‹ All map indexes
            </button>
          )}
          {structure.data && <TaskInstanceLoader dagId={dagId} runId={runId} taskId={taskId} mapIndex={mapIndex} />}
        </>
      )}
    </Drawer>
  );
}

function TaskInstanceLoader({ dagId, runId, taskId, mapIndex }: { dagId: string; runId: string; taskId: string; mapIndex: number }) {
  const ti = useTaskInstance(dagId, runId, taskId, mapIndex);
  return <QueryView query={ti}>{(data) => <TaskInstanceBody dagId={dagId} ti={data} />}</QueryView>;
}

function TaskInstanceBody({ dagId, ti }: { dagId: string; ti: TaskInstanceDetail }) {
  const [params, update] = useUrlState();
  const latestTry = Math.max(ti.try_number, ...ti.tries.map((t) => t.try_number), 0);
  const selectedTry = intParam(params, "try", latestTry) || latestTry;
  const edit = useDagEdit(dagId);
  const setNote = useSetTaskInstanceNote(dagId);
  const saveNote = (note: string | null) => setNote.mutate({ runId: ti.run_id, taskId: ti.task_id, note, mapIndex: ti.map_index });
  return (
    <>
      <TaskActions dagId={dagId} ti={ti} />
      <dl className="attributes">
        <dt>State</dt>
        <dd>
          <StateBadge state={ti.state} />
        </dd>
        <dt>Try</dt>
        <dd>
          {ti.try_number} of {ti.max_tries}
        </dd>
        <dt>Operator</dt>
        <dd>{ti.operator ?? "—"}</dd>
        <dt>Queued</dt>
        <dd>{formatDate(ti.queued_at)}</dd>
        <dt>Started</dt>
        <dd>{formatDate(ti.start_date)}</dd>
        <dt>Ended</dt>
        <dd>{formatDate(ti.end_date)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(ti.duration)}</dd>
        <dt>Host / pid</dt>
        <dd>
          {ti.hostname ?? "—"} {ti.pid ? `/ ${ti.pid}` : ""}
        </dd>
        <dt>Queue</dt>
        <dd>{ti.queue ?? "—"}</dd>
      </dl>
      <CrossDagLink dagId={dagId} ti={ti} />
      <NoteEditor note={ti.note} edit={edit} save={{ mutate: saveNote, isPending: setNote.isPending, error: setNote.error }} />
      {ti.rendered_fields && Object.keys(ti.rendered_fields).length > 0 && (
        <details className="section" open data-testid={TID.renderedFields}>
          <summary>Rendered templates</summary>
          <dl className="attributes">
            {Object.entries(ti.rendered_fields).map(([field, value]) => (
              <div key={field} className="rendered">
                <dt>{field}</dt>
                <dd>
                  <pre className="log">{typeof value === "string" ? value : JSON.stringify(value, null, 2)}</pre>
                </dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      <TaskHistory dagId={dagId} taskId={ti.task_id} runId={ti.run_id} />
      {ti.try_number > 0 && <XComs dagId={dagId} runId={ti.run_id} taskId={ti.task_id} mapIndex={ti.map_index} />}
      <h3>Tries</h3>
      {ti.tries.length === 0 ? (
        <p className="muted small">Not started yet.</p>
      ) : (
        <div className="tries" role="tablist">
          {ti.tries.map((attempt) => (
            <button
              type="button"
              key={attempt.try_number}
              role="tab"
              data-testid={TID.tryTab}
              data-try={attempt.try_number}
              aria-selected={attempt.try_number === selectedTry}
              className={attempt.try_number === selectedTry ? "try active" : "try"}
              onClick={() => update({ try: attempt.try_number === latestTry ? null : attempt.try_number })}
              title={[
                formatDate(attempt.start_date),
                formatDuration(attempt.duration),
                attempt.hostname && `${attempt.hostname}${attempt.pid ? ` / ${attempt.pid}` : ""}`,
                attempt.queue && `queue ${attempt.queue}`,
              ]
                .filter(Boolean)
                .join(" · ")}
            >
              #{attempt.try_number} <StateBadge state={attempt.state} />
            </button>
          ))}
        </div>
      )}
      {selectedTry > 0 && <LogView dagId={dagId} runId={ti.run_id} taskId={ti.task_id} tryNumber={selectedTry} mapIndex={ti.map_index} />}
    </>
  );
}

function LogView({
  dagId,
  runId,
  taskId,
  tryNumber,
  mapIndex,
}: {
  dagId: string;
  runId: string;
  taskId: string;
  tryNumber: number;
  mapIndex: number;
}) {
  const log = useLogTail(dagId, runId, taskId, tryNumber, mapIndex);
  const [follow, setFollow] = useState(true);
  return (
    <div className="log-view">
      <div className="log-head small">
        <span>Log of try {tryNumber}</span>
        {!log.complete && !log.loading && <span className="live-dot on" title="Tailing: the try is still running" />}
        <label className="check">
          <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} /> follow
        </label>
      </div>
      {log.error ? <ErrorPanel error={log.error} /> : null}
      {log.loading ? (
        <p className="muted small">Loading…</p>
      ) : log.content ? (
        <VirtualLog content={log.content} follow={follow} downloadHref={logDownloadPath(dagId, runId, taskId, tryNumber, mapIndex)} />
      ) : (
        <p className="muted small" data-testid={TID.log}>
          (empty log)
        </p>
      )}
    </div>
  );
}

function TaskActions({ dagId, ti }: { dagId: string; ti: TaskInstanceDetail }) {
  const [options, setOptions] = useState({ include_upstream: false, include_downstream: true, only_failed: false });
  const [preview, setPreview] = useState<ClearResult | null>(null);
  const clear = useClearTaskInstances(dagId);
  const mark = useSetTaskInstanceState(dagId);
  const edit = useDagEdit(dagId);
  const body = {
    task_ids: [ti.task_id],
    dag_run_ids: [ti.run_id],
    ...(ti.map_index >= 0 ? { map_indexes: [ti.map_index] } : {}),
    ...options,
  };

  const option = (key: keyof typeof options, label: string) => (
    <label className="check small">
      <input type="checkbox" checked={options[key]} onChange={(event) => setOptions({ ...options, [key]: event.target.checked })} /> {label}
    </label>
  );

  return (
    <div className="ti-actions">
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={clear.isPending || !edit.allowed}
          title={edit.reason || undefined}
          onClick={() => clear.mutate({ ...body, dry_run: true }, { onSuccess: setPreview })}
          data-testid={TID.clearButton}
        >
          Clear…
        </button>
        <button
          type="button"
          className="button"
          disabled={mark.isPending || ti.state === "success" || !edit.allowed}
          title={edit.reason || undefined}
          onClick={() => mark.mutate({ runId: ti.run_id, taskId: ti.task_id, state: "success", mapIndex: ti.map_index })}
          data-testid={TID.markSuccess}
        >
          Mark success
        </button>
        <button
          type="button"
          className="button danger"
          disabled={mark.isPending || ti.state === "failed" || !edit.allowed}
          title={edit.reason || undefined}
          onClick={() => mark.mutate({ runId: ti.run_id, taskId: ti.task_id, state: "failed", mapIndex: ti.map_index })}
          data-testid={TID.markFailed}
        >
          Mark failed
        </button>
      </div>
      <div className="actions">
        {option("include_upstream", "upstream")}
        {option("include_downstream", "downstream")}
        {option("only_failed", "only failed")}
      </div>
      {(clear.error || mark.error) && <ErrorPanel error={clear.error ?? mark.error} />}
      {preview && (
        <Modal title="Clear these task instances?" onClose={() => setPreview(null)}>
          {preview.task_instances.length === 0 ? (
            <p>Nothing matches these options.</p>
          ) : (
            <>
              <p className="small muted">They go back to no status and the scheduler runs them again (with their full retries).</p>
              <ul className="clear-list" data-testid={TID.clearPreview}>
                {preview.task_instances.map((item) => (
                  <li key={`${item.run_id}/${item.task_id}/${item.map_index}`}>
                    <span className="mono small">
                      {item.task_id}
                      {item.map_index >= 0 ? ` [${item.map_index}]` : ""}
                    </span>{" "}
                    <StateBadge state={item.state} />
                  </li>
                ))}
              </ul>
            </>
          )}
          <footer className="modal-actions">
            <button type="button" className="button" onClick={() => setPreview(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="button primary"
              data-testid={TID.clearConfirm}
              disabled={clear.isPending || preview.task_instances.length === 0}
              onClick={() => clear.mutate({ ...body, dry_run: false }, { onSuccess: () => setPreview(null) })}
            >
              Clear {preview.task_instances.length} task instance{preview.task_instances.length === 1 ? "" : "s"}
            </button>
          </footer>
        </Modal>
      )}
    </div>
  );
}

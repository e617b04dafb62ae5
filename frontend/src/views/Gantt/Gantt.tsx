/** A run as a Gantt chart: one bar per try (queued, then running), grouped by task group, critical path marked. */

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { structureQuery, useDagRuns } from "../../api/hooks";
import { useGantt } from "../../api/insights";
import type { GanttResponse, Structure } from "../../api/types";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Skeleton } from "../../components/Skeleton";
import { StateLegend } from "../../components/StateLegend";
import { formatDate, formatDuration } from "../../lib/format";
import { span } from "../../lib/perf";
import { useOpenGroups } from "../../lib/useOpenGroups";
import { useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { stateStyle } from "../../theme/states";
import { RUN_PICKER } from "../Dag/prefetch";
import { type Bar, barsByTask, buildRows, criticalPath, type GanttRow, ticks, timeRange } from "./ganttModel";
import "./gantt.css";

export default function Gantt({ dagId }: { dagId: string }) {
  const [params, update] = useUrlState();
  const runs = useDagRuns(dagId, RUN_PICKER);
  const chosen = params.get("run_id");
  const runId = chosen ?? runs.data?.dag_runs[0]?.run_id ?? null;
  // Not the current version's structure meanwhile: the run's may differ, and it is not needed.
  const structure = useQuery({ ...structureQuery(dagId, runId), enabled: runId !== null });
  // No run chosen: the server answers for its newest run, so this starts beside the runs list
  // instead of after it; the chart waits until both name the same run.
  const gantt = useGantt(dagId, chosen);
  const runList = runs.data?.dag_runs ?? [];

  if (runs.isError && !runs.data) return <ErrorPanel error={runs.error} onRetry={() => void runs.refetch()} />;
  if (runs.data && !runId) return <EmptyState title="No runs yet: trigger one to see where its time goes." />;
  return (
    <div className="gantt-view">
      <div className="toolbar">
        <label className="small">
          Run{" "}
          <select
            value={runId ?? ""}
            onChange={(event) => update({ run_id: event.target.value || null, task_id: null })}
            data-testid={TID.runSelect}
          >
            {runId && !runList.some((run) => run.run_id === runId) && <option value={runId}>{runId}</option>}
            {runList.map((run) => (
              <option key={run.run_id} value={run.run_id}>
                {formatDate(run.logical_date)} · {run.state} · {run.run_id}
              </option>
            ))}
          </select>
        </label>
        <ul className="legend gantt-legend" aria-label="Gantt marks">
          <li>
            <span className="gantt-key-queued" aria-hidden /> queued
          </li>
          <li>
            <span className="gantt-key-critical" aria-hidden /> critical path
          </li>
        </ul>
        <StateLegend />
      </div>
      {gantt.isError ? (
        <ErrorPanel error={gantt.error} onRetry={() => void gantt.refetch()} />
      ) : !gantt.data || !structure.data || gantt.data.run_id !== runId ? (
        <Skeleton rows={10} />
      ) : (
        <GanttChart
          key={`${dagId}:${structure.data.hash}`}
          structure={structure.data.structure}
          data={gantt.data}
          onOpen={(taskId) => update({ run_id: runId, task_id: taskId, panel: null, try: null })}
        />
      )}
    </div>
  );
}

/** Re-render every second while the run runs, so running bars grow between changes. */
function useNow(ticking: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

let ganttMarked = false;

function GanttChart({ structure, data, onOpen }: { structure: Structure; data: GanttResponse; onOpen: (taskId: string) => void }) {
  const groupIds = useMemo(() => structure.groups.map((group) => group.id), [structure]);
  const { open, toggle, setAll } = useOpenGroups(groupIds, structure.nodes.length <= 200);
  const now = useNow(data.state === "running" || data.state === "queued");
  const bars = useMemo(() => barsByTask(data.tries, now), [data.tries, now]);
  const rows = useMemo(() => buildRows(structure, bars, open), [structure, bars, open]);
  const critical = useMemo(() => criticalPath(structure.edges, bars), [structure.edges, bars]);
  const range = timeRange(bars);

  useEffect(() => {
    if (!ganttMarked) {
      ganttMarked = true;
      const committed = performance.now();
      requestAnimationFrame(() => {
        performance.mark("dk:gantt-drawn");
        span("dk:render", committed);
      });
    }
  }, []);

  if (!range) return <EmptyState title="No task of this run has been queued yet." />;
  const [from, to] = range;
  const x = (t: number) => `${((t - from) / (to - from)) * 100}%`;
  const w = (a: number, b: number) => `max(2px, ${((b - a) / (to - from)) * 100}%)`;
  return (
    <div className="gantt-frame">
      <div className="graph-actions small">
        {structure.groups.length > 0 && (
          <>
            <button type="button" className="link-button" onClick={() => setAll(true)}>
              expand all groups
            </button>
            <button type="button" className="link-button" onClick={() => setAll(false)}>
              collapse all
            </button>
          </>
        )}
        <span className="muted">
          {data.tries.length.toLocaleString()} tries · {formatDuration((to - from) / 1000)} from first queued to last end
        </span>
      </div>
      <div className="gantt" data-testid={TID.gantt}>
        <div className="gantt-row gantt-axis" aria-hidden>
          <span className="gantt-label" />
          <span className="gantt-track">
            {ticks(from, to).map((t) => (
              <span key={t} className="gantt-tick" style={{ left: x(t) }}>
                +{formatDuration((t - from) / 1000)}
              </span>
            ))}
          </span>
        </div>
        <ul className="gantt-rows">
          {rows.map((row) => (
            <Row
              key={`${row.kind}:${row.id}`}
              row={row}
              critical={row.kind === "task" && critical.has(row.id)}
              open={open.has(row.id)}
              x={x}
              w={w}
              onOpen={onOpen}
              onToggle={toggle}
            />
          ))}
        </ul>
      </div>
    </div>
  );
}

function barTitle(row: GanttRow, bar: Bar) {
  const queued = bar.queued !== null && bar.start !== null ? ` · queued ${formatDuration((bar.start - bar.queued) / 1000)}` : "";
  const ran = bar.start !== null && bar.end !== null ? ` · ran ${formatDuration((bar.end - bar.start) / 1000)}` : "";
  return `${row.id} try ${bar.tryNumber}: ${stateStyle(bar.state).label}${queued}${ran}`;
}

function Row({
  row,
  critical,
  open,
  x,
  w,
  onOpen,
  onToggle,
}: {
  row: GanttRow;
  critical: boolean;
  open: boolean;
  x: (t: number) => string;
  w: (a: number, b: number) => string;
  onOpen: (taskId: string) => void;
  onToggle: (groupId: string) => void;
}) {
  const isGroup = row.kind === "group";
  return (
    <li
      className={`gantt-row${critical ? " critical" : ""}${isGroup ? " gantt-group" : ""}`}
      data-testid={TID.ganttRow}
      {...(isGroup ? { "data-group-id": row.id } : { "data-task-id": row.id })}
      data-critical={critical ? "true" : undefined}
    >
      <span className="gantt-label" style={{ paddingLeft: 6 + row.depth * 14 }}>
        {isGroup ? (
          <button type="button" className="group-toggle" aria-expanded={open} onClick={() => onToggle(row.id)}>
            <span className="chevron" aria-hidden>
              {open ? "▾" : "▸"}
            </span>
            {row.label}
          </button>
        ) : (
          <button type="button" className="link-button gantt-task" onClick={() => onOpen(row.id)} title={row.id}>
            {row.label}
          </button>
        )}
      </span>
      <span className="gantt-track">
        {row.span && <span className="gantt-span" style={{ left: x(row.span[0]), width: w(row.span[0], row.span[1]) }} />}
        {row.bars.map((bar) => (
          <span key={bar.tryNumber}>
            {bar.queued !== null && (
              <span className="gantt-queued" style={{ left: x(bar.queued), width: w(bar.queued, bar.start ?? bar.end ?? bar.queued) }} />
            )}
            {bar.start !== null && bar.end !== null && (
              <span
                className={`gantt-bar${bar.current ? "" : " earlier-try"}`}
                data-testid={TID.ganttBar}
                data-try={bar.tryNumber}
                data-state={bar.state ?? ""}
                role="img"
                aria-label={barTitle(row, bar)}
                title={barTitle(row, bar)}
                style={{ left: x(bar.start), width: w(bar.start, bar.end), background: stateStyle(bar.state).color }}
              />
            )}
          </span>
        ))}
      </span>
    </li>
  );
}

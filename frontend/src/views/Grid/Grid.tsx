import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useGrid, useStructure } from "../../api/hooks";
import type { GridResponse, Structure } from "../../api/types";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { GroupToggles } from "../../components/GroupToggles";
import { Skeleton } from "../../components/Skeleton";
import { StateLegend } from "../../components/StateLegend";
import { formatDate, formatDuration } from "../../lib/format";
import { roleMark } from "../../lib/roles";
import { useOpenGroups } from "../../lib/useOpenGroups";
import { intParam, useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { stateStyle } from "../../theme/states";
import { ancestorGroups } from "../Find/ancestors";
import { FindTask } from "../Find/FindTask";
import {
  buildRows,
  type DecodedGrid,
  decodeGrid,
  type GridRow,
  type MappedCounts,
  mappedSummary,
  rowCell,
  runDurations,
} from "./gridModel";

const ROW_HEIGHT = 24;
const CELL_WIDTH = 20;
const LABEL_WIDTH = 300;
const HEADER_HEIGHT = 72;
const OVERSCAN = 10;
const RUN_COUNTS = [25, 50, 100];

let gridMarked = false;

/** Runs × tasks: one coloured cell per task instance, rows virtualised so 2,000 tasks stay smooth. */
export function Grid({ dagId }: { dagId: string }) {
  const [params, update] = useUrlState();
  const limit = intParam(params, "runs", 25, RUN_COUNTS);
  const before = params.get("before");
  const grid = useGrid(dagId, limit, before);
  const structure = useStructure(dagId);
  // What "find a task" is on while typing: local state, so a keystroke re-renders the grid only.
  const [preview, setPreview] = useState<string | null>(null);

  if ((grid.isError && !grid.data) || (structure.isError && !structure.data)) {
    return (
      <ErrorPanel
        error={grid.error ?? structure.error}
        onRetry={() => {
          void grid.refetch();
          void structure.refetch();
        }}
      />
    );
  }
  if (!grid.data || !structure.data) return <Skeleton rows={12} />;

  return (
    <div className="grid-view">
      <div className="toolbar">
        <label className="small">
          Runs{" "}
          <select value={limit} onChange={(event) => update({ runs: Number(event.target.value) === 25 ? null : event.target.value })}>
            {RUN_COUNTS.map((count) => (
              <option key={count} value={count}>
                {count}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button"
          disabled={!grid.data.has_more || !grid.data.runs.length}
          onClick={() => update({ before: grid.data!.runs[0]?.run_id })}
          data-testid={TID.gridOlder}
        >
          ‹ Older
        </button>
        <button type="button" className="button" disabled={!before} onClick={() => update({ before: null })} data-testid={TID.gridNewest}>
          Newest ›
        </button>
        <FindTask nodes={structure.data.structure.nodes} onPreview={setPreview} onChoose={(taskId) => update({ focus: taskId })} />
        <StateLegend />
      </div>
      {grid.data.runs.length === 0 && (
        <p className="muted small">No runs yet: trigger one, or unpause the DAG to let the scheduler create them.</p>
      )}
      {grid.data.runs.length === 0 && grid.data.task_ids.length === 0 ? (
        <EmptyState title="This DAG has no tasks." />
      ) : (
        <GridTable dagId={dagId} grid={grid.data} structure={structure.data.structure} stale={grid.isPlaceholderData} preview={preview} />
      )}
    </div>
  );
}

function GridTable({
  grid,
  structure,
  stale,
  preview,
}: {
  dagId: string;
  grid: GridResponse;
  structure: Structure;
  stale: boolean;
  preview: string | null;
}) {
  const [params, update] = useUrlState();
  const groupIds = useMemo(() => structure.groups.map((group) => group.id), [structure]);
  const { open: expanded, toggle, setAll, reveal } = useOpenGroups(groupIds, true);
  const focus = preview ?? params.get("focus");
  useEffect(() => {
    if (focus) reveal(ancestorGroups(structure, focus));
  }, [focus, structure, reveal]);
  const decoded = useMemo(() => decodeGrid(grid), [grid]);
  const rows = useMemo(() => buildRows(structure, grid.task_ids, expanded), [structure, grid.task_ids, expanded]);
  const durations = useMemo(() => runDurations(grid.runs, Date.now()), [grid.runs]);
  const longest = Math.max(1, ...durations);
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 600 });

  const selectedRun = params.get("run_id");
  const selectedTask = params.get("task_id");
  const runIndex = grid.runs.findIndex((run) => run.run_id === selectedRun);
  const rowIndex = rows.findIndex((row) => row.id === selectedTask);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setViewport({ top: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!gridMarked) {
      gridMarked = true;
      requestAnimationFrame(() => performance.mark("dk:grid-drawn"));
    }
  }, []);

  const first = Math.max(0, Math.floor(viewport.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((viewport.top + viewport.height) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);

  const select = useCallback(
    (row: GridRow, run: number) => {
      const runId = grid.runs[run]?.run_id;
      if (!runId) return;
      if (row.kind === "group") update({ run_id: runId, task_id: null, panel: "run" });
      else update({ run_id: runId, task_id: row.id, panel: null, try: null });
    },
    [grid.runs, update],
  );

  const scrollRowIntoView = (index: number) => {
    const element = scroller.current;
    if (!element) return;
    const top = index * ROW_HEIGHT;
    const bodyHeight = element.clientHeight - HEADER_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + bodyHeight) element.scrollTop = top + ROW_HEIGHT - bodyHeight;
  };
  // A found task's row is scrolled to the middle of the grid, and the grid onto the page, before
  // the next paint: the rows around it render at once instead of after the scroll event.
  const focusIndex = focus ? rows.findIndex((row) => row.kind === "task" && row.id === focus) : -1;
  useLayoutEffect(() => {
    const element = scroller.current;
    if (focusIndex < 0 || !element) return;
    element.scrollTop = Math.max(0, focusIndex * ROW_HEIGHT - (element.clientHeight - HEADER_HEIGHT) / 2);
    element.scrollIntoView({ block: "nearest" });
    setViewport({ top: element.scrollTop, height: element.clientHeight });
  }, [focusIndex]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (!rows.length || !grid.runs.length) return;
    let r = Math.max(rowIndex, 0);
    let c = runIndex < 0 ? grid.runs.length - 1 : runIndex;
    switch (event.key) {
      case "ArrowUp":
        r = Math.max(0, r - 1);
        break;
      case "ArrowDown":
        r = Math.min(rows.length - 1, r + 1);
        break;
      case "ArrowLeft":
        c = Math.max(0, c - 1);
        break;
      case "ArrowRight":
        c = Math.min(grid.runs.length - 1, c + 1);
        break;
      case "Enter":
        if (rows[r]?.kind === "group") toggle(rows[r].id);
        event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    const row = rows[r];
    // Arrowing onto a group row keeps its id selected without opening a task drawer.
    if (row.kind === "group") update({ run_id: grid.runs[c].run_id, task_id: null, panel: null, group: row.id });
    else update({ run_id: grid.runs[c].run_id, task_id: row.id, panel: null, try: null, group: null });
    scrollRowIntoView(r);
  };

  const selectedGroup = params.get("group");
  const gridWidth = LABEL_WIDTH + grid.runs.length * CELL_WIDTH + 16;

  return (
    <div className="grid-frame">
      <GroupToggles hasGroups={structure.groups.length > 0} setAll={setAll}>
        <span className="muted">
          {grid.task_ids.length.toLocaleString()} tasks · {grid.runs.length} runs · ↑↓←→ to move
        </span>
      </GroupToggles>
      <div
        ref={scroller}
        className={stale ? "grid-scroll loading" : "grid-scroll"}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(event) => setViewport({ top: event.currentTarget.scrollTop, height: event.currentTarget.clientHeight })}
        aria-label="Task instance grid"
        role="grid"
      >
        {/* biome-ignore lint/a11y/useFocusableInteractive: focus stays on the grid container, which moves the selection with the arrow keys */}
        <div className="grid-header" style={{ width: gridWidth, height: HEADER_HEIGHT }} role="row">
          {/* biome-ignore lint/a11y/useFocusableInteractive: focus stays on the grid container, which moves the selection with the arrow keys */}
          <div className="grid-corner" style={{ width: LABEL_WIDTH }} role="columnheader">
            Task
          </div>
          {grid.runs.map((run, i) => {
            const style = stateStyle(run.state);
            const height = Math.max(3, (durations[i] / longest) * (HEADER_HEIGHT - 14));
            return (
              // ARIA grid structure: a button may not be a columnheader, so a layout-free wrapper is.
              // biome-ignore lint/a11y/useFocusableInteractive: focus stays on the grid container, which moves the selection with the arrow keys
              <span key={run.run_id} role="columnheader" className="grid-columnheader">
                <button
                  type="button"
                  className={run.run_id === selectedRun ? "run-bar selected" : "run-bar"}
                  data-testid={TID.runBar}
                  data-run-id={run.run_id}
                  style={{ width: CELL_WIDTH }}
                  onClick={() => update({ run_id: run.run_id, task_id: null, panel: "run" })}
                  title={`${run.run_id}\n${style.label} · ${formatDuration(durations[i])}\n${formatDate(run.logical_date)}`}
                  aria-label={`Run ${run.run_id}: ${style.label}`}
                >
                  <span style={{ height, background: style.color }} />
                </button>
              </span>
            );
          })}
        </div>
        <div className="grid-body" style={{ height: rows.length * ROW_HEIGHT, width: gridWidth }}>
          {visible.map((row, offset) => (
            <GridRowView
              key={`${row.kind}:${row.id}`}
              row={row}
              top={(first + offset) * ROW_HEIGHT}
              runs={grid.runs}
              decoded={decoded}
              mapped={row.kind === "task" ? grid.mapped[row.id] : undefined}
              selectedRun={row.id === selectedTask ? selectedRun : null}
              selected={row.id === selectedTask || (row.kind === "group" && row.id === selectedGroup)}
              found={row.kind === "task" && row.id === focus}
              onToggle={toggle}
              onSelect={select}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  row: GridRow;
  top: number;
  runs: GridResponse["runs"];
  decoded: DecodedGrid;
  /** A mapped task's map indexes per state, per run (one row for all its map indexes). */
  mapped: (MappedCounts | null)[] | undefined;
  /** The selected run when this row holds the selected cell, else null (keeps other rows memoised). */
  selectedRun: string | null;
  selected: boolean;
  /** The task "find a task" is on. */
  found: boolean;
  onToggle: (groupId: string) => void;
  onSelect: (row: GridRow, runIndex: number) => void;
}

/** One row; memoised so scrolling renders only the rows that come into view. */
const GridRowView = memo(function GridRowView({
  row,
  top,
  runs,
  decoded,
  mapped,
  selectedRun,
  selected,
  found,
  onToggle,
  onSelect,
}: RowProps) {
  return (
    // biome-ignore lint/a11y/useFocusableInteractive: focus stays on the grid container, which moves the selection with the arrow keys
    <div
      className={`grid-row${selected ? " selected" : ""}${found ? " found" : ""}`}
      style={{ top, height: ROW_HEIGHT }}
      role="row"
      data-testid={TID.gridRow}
      {...(row.kind === "group" ? { "data-group-id": row.id } : { "data-task-id": row.id })}
    >
      {/* biome-ignore lint/a11y/useFocusableInteractive: focus stays on the grid container, which moves the selection with the arrow keys */}
      <div className="grid-label" style={{ width: LABEL_WIDTH, paddingLeft: 8 + row.depth * 16 }} title={row.id} role="rowheader">
        {row.kind === "group" ? (
          <button
            type="button"
            className="group-toggle"
            onClick={() => onToggle(row.id)}
            aria-expanded={row.expanded}
            data-testid={TID.groupToggle}
            data-group-id={row.id}
          >
            <span className="chevron">{row.expanded ? "▾" : "▸"}</span> {row.label}
            <span className="muted small"> ({row.taskIds.length})</span>
          </button>
        ) : (
          <span className={row.role ? `ellipsis task-${row.role}` : "ellipsis"} data-role={row.role ?? ""}>
            {roleMark(row.role)}
            {row.label}
            {mapped && (
              <span className="muted small" data-testid={TID.mappedMark}>
                {" "}
                [ ]
              </span>
            )}
          </span>
        )}
      </div>
      {runs.map((run, c) => {
        const cell = rowCell(decoded, row, c);
        const style = stateStyle(cell);
        const isSelected = run.run_id === selectedRun;
        return (
          <button
            type="button"
            key={run.run_id}
            className={isSelected ? "cell selected" : cell === null ? "cell empty" : "cell"}
            data-testid={row.kind === "group" ? TID.gridGroupCell : TID.gridCell}
            {...(row.kind === "group" ? { "data-group-id": row.id } : { "data-task-id": row.id })}
            data-run-id={run.run_id}
            data-state={cell ?? ""}
            style={{ width: CELL_WIDTH, background: cell === null ? undefined : style.color }}
            title={`${row.label} · ${run.run_id}: ${cell === null ? "no task instance" : style.label}${mapped?.[c] ? `\n${mappedSummary(mapped[c])}` : ""}`}
            aria-label={`${row.id} ${run.run_id} ${cell ?? "no task instance"}`}
            onClick={() => onSelect(row, c)}
            tabIndex={-1}
            role="gridcell"
          />
        );
      })}
    </div>
  );
});

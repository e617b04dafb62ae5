import { useCallback, useEffect, useMemo, useState } from "react";
import { useDagRuns, useGrid, useStructure, useVersions } from "../../api/hooks";
import type { GridResponse, Structure } from "../../api/types";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { GroupToggles } from "../../components/GroupToggles";
import { Skeleton } from "../../components/Skeleton";
import { StateLegend } from "../../components/StateLegend";
import { formatDate } from "../../lib/format";
import { span } from "../../lib/perf";
import { groupDescendants } from "../../lib/structureTree";
import { useOpenGroups } from "../../lib/useOpenGroups";
import { intParam, useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import type { StateName } from "../../theme/states";
import { ComparePanel } from "../Compare/ComparePanel";
import { useComparison } from "../Compare/useComparison";
import { RUN_PICKER } from "../Dag/prefetch";
import { ancestorGroups } from "../Find/ancestors";
import { FindTask } from "../Find/FindTask";
import { focusStructure, neighbourhood } from "../Find/neighbourhood";
import { decodeGrid, mappedCount, mostUrgentCell } from "../Grid/gridModel";
import { GraphSvg } from "./GraphSvg";
import { buildLayoutInput, type Direction, groupKey, layoutKey, taskKey } from "./layoutInput";
import { useLayout, warmLayoutWorker } from "./useLayout";

/** The DAG drawn as a graph, coloured by the task states of the selected run. */
export default function Graph({ dagId }: { dagId: string }) {
  const [params, update] = useUrlState();
  useEffect(warmLayoutWorker, []);
  const runs = useDagRuns(dagId, RUN_PICKER);
  const chosenRun = params.get("run_id");
  const runId = chosenRun ?? runs.data?.dag_runs[0]?.run_id ?? null;
  // A run the user chose is drawn with the structure of the version it ran with. By default the
  // current version is drawn (a just-edited DAG shows its new tasks), coloured by the latest run.
  const structure = useStructure(dagId, chosenRun);
  // Node colours come from the grid's one-character-per-task encoding of that run.
  const states = useGrid(dagId, 1, null, chosenRun);
  const direction: Direction = params.get("dir") === "TB" ? "TB" : "LR";
  const compareFrom = Number(params.get("compare")) || null;
  const compare = useComparison(dagId, compareFrom, structure.data, chosenRun);
  const versions = useVersions(dagId);
  const focus = params.get("focus");
  const [preview, setPreview] = useState<string | null>(null);
  // Focus mode: only the task `around` and `levels` levels up- and downstream of it.
  const around = params.get("around");
  const levels = intParam(params, "levels", 2, [1, 2, 3, 4, 5]);
  const candidate = around ?? params.get("task_id") ?? focus;
  // Both versions in one drawing once both structures are here (laid out while the diff loads).
  const union = compare.error ? null : compare.structure;
  const full = union ?? structure.data?.structure;
  const shown = useMemo(
    () =>
      full && around && full.nodes.some((node) => node.id === around) ? focusStructure(full, neighbourhood(full, around, levels)) : full,
    [full, around, levels],
  );

  if (structure.isError && !structure.data) return <ErrorPanel error={structure.error} onRetry={() => void structure.refetch()} />;
  if (!structure.data || (runs.isLoading && !chosenRun)) return <Skeleton rows={10} />;
  const runList = runs.data?.dag_runs ?? [];
  const selectedInList = runList.some((run) => run.run_id === chosenRun);

  return (
    <div className="graph-view">
      <div className="toolbar">
        <label className="small">
          Run{" "}
          <select
            value={chosenRun ?? ""}
            onChange={(event) => update({ run_id: event.target.value || null, task_id: null })}
            disabled={!runList.length}
            data-testid={TID.runSelect}
          >
            <option value="">{runList.length ? "latest run · current version" : "no runs yet"}</option>
            {chosenRun && !selectedInList && <option value={chosenRun}>{chosenRun}</option>}
            {runList.map((run) => (
              <option key={run.run_id} value={run.run_id}>
                {formatDate(run.logical_date)} · {run.state} · {run.run_id}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small" title="The version of the DAG this run ran with" data-testid={TID.graphVersion}>
          v{structure.data.version_number}
        </span>
        {states.isError && (
          <span className="field-error" title={String(states.error)}>
            task states unavailable
          </span>
        )}
        <div className="segmented" role="group" aria-label="Direction">
          {(["LR", "TB"] as const).map((value) => (
            <button
              type="button"
              key={value}
              className={direction === value ? "active" : ""}
              aria-pressed={direction === value}
              onClick={() => update({ dir: value === "LR" ? null : value })}
              title={value === "LR" ? "Left to right" : "Top to bottom"}
            >
              {value === "LR" ? "→ LR" : "↓ TB"}
            </button>
          ))}
        </div>
        <FindTask nodes={structure.data.structure.nodes} onPreview={setPreview} onChoose={(taskId) => update({ focus: taskId })} />
        <label className="small">
          Compare with{" "}
          <select
            value={compareFrom ?? ""}
            onChange={(event) => update({ compare: event.target.value || null, focus: null })}
            data-testid={TID.compareSelect}
          >
            <option value="">nothing</option>
            {compareFrom && !versions.data?.versions.some((v) => v.version_number === compareFrom) && (
              <option value={compareFrom}>v{compareFrom}</option>
            )}
            {versions.data?.versions.map((v) => (
              <option key={v.version_number} value={v.version_number}>
                v{v.version_number}
              </option>
            ))}
          </select>
        </label>
        {compare.error && <span className="field-error">{String(compare.error)}</span>}
        <label className="small">
          Focus{" "}
          <select
            value={around ? levels : ""}
            disabled={!candidate}
            onChange={(event) =>
              update({ around: event.target.value ? candidate : null, levels: event.target.value === "2" ? null : event.target.value })
            }
            data-testid={TID.focusSelect}
          >
            <option value="">whole DAG</option>
            {[1, 2, 3, 4, 5].map((n) => (
              <option key={n} value={n}>
                {n} level{n > 1 ? "s" : ""} around {candidate ?? "a chosen task"}
              </option>
            ))}
          </select>
        </label>
        <StateLegend />
      </div>
      {structure.data.structure.nodes.length === 0 ? (
        <EmptyState title="This DAG has no tasks." />
      ) : compareFrom && !union && !compare.error ? (
        <Skeleton rows={10} /> // the comparison is laid out once, not the plain graph first
      ) : (
        // Until the diff's marks are here the laid-out comparison stays hidden: unmarked ghosts
        // would read as the DAG's current tasks.
        <div className={union ? (compare.marks ? "graph-compare" : "graph-compare comparing") : "graph-single"}>
          <GraphCanvas
            key={structure.data.dag_id}
            structure={shown ?? structure.data.structure}
            hash={`${union ? compare.hash : structure.data.hash}${around ? `@${around}:${levels}` : ""}`}
            direction={direction}
            states={states.data}
            selected={params.get("task_id")}
            onSelect={(taskId) => runId && update({ run_id: runId, task_id: taskId, panel: null, try: null })}
            marks={union ? (compare.marks ?? undefined) : undefined}
            focus={focus}
            preview={preview}
          />
          {union &&
            (compare.diff ? (
              <ComparePanel diff={compare.diff} focus={focus} onFocus={(taskId) => update({ focus: taskId })} />
            ) : (
              <Skeleton rows={10} />
            ))}
        </div>
      )}
    </div>
  );
}

let graphMarked = false;
let compareMarked = false;

function GraphCanvas({
  structure,
  hash,
  direction,
  states,
  selected,
  onSelect,
  marks,
  focus,
  preview,
}: {
  structure: Structure;
  hash: string;
  direction: Direction;
  states: GridResponse | undefined;
  selected: string | null;
  onSelect: (taskId: string) => void;
  marks?: ReadonlyMap<string, string>;
  /** A task to open the groups of, zoom to and highlight. */
  focus?: string | null;
  /** A task to zoom to and highlight (or the collapsed group hiding it) without opening groups. */
  preview?: string | null;
}) {
  // Big DAGs open with groups collapsed (fewer nodes); small ones show everything.
  const groupIds = useMemo(() => structure.groups.map((group) => group.id), [structure]);
  const { open: expanded, toggle: toggleGroup, setAll, reveal } = useOpenGroups(groupIds, structure.nodes.length <= 200);
  useEffect(() => {
    if (focus) reveal(ancestorGroups(structure, focus));
  }, [focus, structure, reveal]);

  const key = layoutKey(hash, direction, expanded);
  const build = useCallback(() => buildLayoutInput(structure, expanded, direction), [structure, expanded, direction]);
  const layout = useLayout(key, build);
  const target = preview ?? focus;
  // The node on screen that stands for the target: the task, or the collapsed group hiding it
  // (so a preview highlights at once, and a chosen task shows even while its group lays out).
  const focusKey = useMemo(() => {
    if (!target || !layout.layout) return null;
    const present = new Set(layout.layout.nodes.map((node) => node.key));
    if (present.has(taskKey(target))) return taskKey(target);
    return (
      ancestorGroups(structure, target)
        .map(groupKey)
        .find((key) => present.has(key)) ?? null
    );
  }, [target, layout.layout, structure]);

  // A mapped task's badge: how many map indexes it has in the chosen run.
  const mappedCounts = useMemo(() => {
    const out = new Map<string, number>();
    for (const [taskId, perRun] of Object.entries(states?.mapped ?? {})) {
      const count = mappedCount(perRun[0]);
      if (count !== null) out.set(taskKey(taskId), count);
    }
    return out;
  }, [states]);

  const nodeStates = useMemo(() => {
    const out = new Map<string, StateName>();
    if (!states) return out;
    const decoded = decodeGrid(states);
    for (const taskId of states.task_ids) {
      const cell = decoded.cell(taskId, 0);
      if (cell) out.set(taskKey(taskId), cell);
    }
    for (const [groupId, tasks] of groupDescendants(structure)) {
      const cell = mostUrgentCell(decoded, tasks, 0);
      if (cell) out.set(groupKey(groupId), cell);
    }
    return out;
  }, [states, structure]);

  useEffect(() => {
    // dk:render: from React committing the laid-out nodes to the next frame (paint included).
    const committed = performance.now();
    if (layout.layout && !graphMarked) {
      graphMarked = true;
      requestAnimationFrame(() => {
        performance.mark("dk:graph-drawn");
        span("dk:render", committed);
      });
    }
    if (marks && layout.layoutFor === key && !compareMarked) {
      compareMarked = true;
      requestAnimationFrame(() => {
        performance.mark("dk:compare-drawn");
        span("dk:render-compare", committed);
      });
    }
  }, [layout.layout, layout.layoutFor, key, marks]);

  if (layout.error) return <ErrorPanel error={new Error(`Layout failed: ${layout.error}`)} />;
  return (
    <div className="graph-frame">
      <GroupToggles hasGroups={structure.groups.length > 0} setAll={setAll}>
        <span className="muted">
          {structure.nodes.length.toLocaleString()} tasks · {structure.edges.length.toLocaleString()} edges
        </span>
        {layout.pending && <span className="muted">laying out…</span>}
      </GroupToggles>
      {layout.layout ? (
        <GraphSvg
          layout={layout.layout}
          states={nodeStates}
          mappedCounts={mappedCounts}
          selected={selected ? `t:${selected}` : null}
          onSelectTask={onSelect}
          onToggleGroup={toggleGroup}
          marks={marks}
          focus={focusKey}
        />
      ) : (
        <div className="graph-placeholder">
          <Skeleton rows={6} />
          <p className="muted small">Laying out {structure.nodes.length.toLocaleString()} tasks…</p>
        </div>
      )}
    </div>
  );
}

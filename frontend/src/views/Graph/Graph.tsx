import { useCallback, useEffect, useMemo } from "react";
import { useDagRuns, useGrid, useStructure } from "../../api/hooks";
import type { GridResponse, Structure } from "../../api/types";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { GroupToggles } from "../../components/GroupToggles";
import { Skeleton } from "../../components/Skeleton";
import { StateLegend } from "../../components/StateLegend";
import { formatDate } from "../../lib/format";
import { groupDescendants } from "../../lib/structureTree";
import { useOpenGroups } from "../../lib/useOpenGroups";
import { useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import type { StateName } from "../../theme/states";
import { decodeGrid, mostUrgentCell } from "../Grid/gridModel";
import { GraphSvg } from "./GraphSvg";
import { buildLayoutInput, type Direction, groupKey, layoutKey, taskKey } from "./layoutInput";
import { useLayout } from "./useLayout";

/** The DAG drawn as a graph, coloured by the task states of the selected run. */
export default function Graph({ dagId }: { dagId: string }) {
  const [params, update] = useUrlState();
  const runs = useDagRuns(dagId, { limit: 50, offset: 0 });
  const chosenRun = params.get("run_id");
  const runId = chosenRun ?? runs.data?.dag_runs[0]?.run_id ?? null;
  // A run the user chose is drawn with the structure of the version it ran with. By default the
  // current version is drawn (a just-edited DAG shows its new tasks), coloured by the latest run.
  const structure = useStructure(dagId, chosenRun);
  // Node colours come from the grid's one-character-per-task encoding of that run.
  const states = useGrid(dagId, 1, null, chosenRun);
  const direction: Direction = params.get("dir") === "TB" ? "TB" : "LR";

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
        <StateLegend />
      </div>
      {structure.data.structure.nodes.length === 0 ? (
        <EmptyState title="This DAG has no tasks." />
      ) : (
        <GraphCanvas
          key={structure.data.dag_id}
          structure={structure.data.structure}
          hash={structure.data.hash}
          direction={direction}
          states={states.data}
          selected={params.get("task_id")}
          onSelect={(taskId) => runId && update({ run_id: runId, task_id: taskId, panel: null, try: null })}
        />
      )}
    </div>
  );
}

let graphMarked = false;

function GraphCanvas({
  structure,
  hash,
  direction,
  states,
  selected,
  onSelect,
}: {
  structure: Structure;
  hash: string;
  direction: Direction;
  states: GridResponse | undefined;
  selected: string | null;
  onSelect: (taskId: string) => void;
}) {
  // Big DAGs open with groups collapsed (fewer nodes); small ones show everything.
  const groupIds = useMemo(() => structure.groups.map((group) => group.id), [structure]);
  const { open: expanded, toggle: toggleGroup, setAll } = useOpenGroups(groupIds, structure.nodes.length <= 200);
  const key = layoutKey(hash, direction, expanded);
  const build = useCallback(() => buildLayoutInput(structure, expanded, direction), [structure, expanded, direction]);
  const layout = useLayout(key, build);

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
    if (layout.layout && !graphMarked) {
      graphMarked = true;
      requestAnimationFrame(() => performance.mark("dk:graph-drawn"));
    }
  }, [layout.layout]);

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
          selected={selected ? `t:${selected}` : null}
          onSelectTask={onSelect}
          onToggleGroup={toggleGroup}
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

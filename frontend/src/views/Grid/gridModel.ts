/**
 * Pure transforms behind the grid: decoding the compact state strings of /ui/grid and ordering
 * rows as the task-group tree, with collapsed groups standing for their tasks.
 */
import type { GridResponse, Structure } from "../../api/types";
import { mostUrgent, type StateName, stateName } from "../../theme/states";

/** A cell is a state, or null when the run has no task instance for that task. */
export type Cell = StateName | null;

const NO_TASK_INSTANCE = ".";

export interface DecodedGrid {
  /** Decode one cell; cheap enough to call only for the rows on screen. */
  cell(taskId: string, runIndex: number): Cell;
  /** Cells of one task across all runs. */
  row(taskId: string): Cell[];
  runCount: number;
}

export function decodeGrid(grid: Pick<GridResponse, "task_ids" | "states" | "state_codes" | "runs">): DecodedGrid {
  const table = new Map<string, Cell>();
  for (const [char, state] of Object.entries(grid.state_codes)) {
    table.set(char, char === NO_TASK_INSTANCE ? null : stateName(state));
  }
  table.set(NO_TASK_INSTANCE, null);
  const byTask = new Map<string, string>();
  grid.task_ids.forEach((taskId, i) => {
    byTask.set(taskId, grid.states[i] ?? "");
  });
  const runCount = grid.runs.length;
  const cell = (taskId: string, runIndex: number): Cell => {
    const char = byTask.get(taskId)?.[runIndex];
    if (char === undefined) return null;
    const decoded = table.get(char);
    return decoded === undefined ? "none" : decoded;
  };
  return {
    cell,
    row: (taskId) => Array.from({ length: runCount }, (_, i) => cell(taskId, i)),
    runCount,
  };
}

export type GridRow =
  | { kind: "task"; id: string; label: string; depth: number; role?: "setup" | "teardown" | null }
  | { kind: "group"; id: string; label: string; depth: number; expanded: boolean; taskIds: string[] };

/**
 * Rows in tree order. Tasks of collapsed groups are hidden behind their group's row; tasks the
 * grid knows but the structure does not (a version changed in between) are appended at the end.
 */
export function buildRows(structure: Structure, taskIds: readonly string[], expanded: ReadonlySet<string>): GridRow[] {
  const labels = new Map(structure.nodes.map((node) => [node.id, node.label]));
  const roles = new Map(structure.nodes.map((node) => [node.id, node.role ?? null]));
  const groups = new Map(structure.groups.map((group) => [group.id, group]));
  const descendants = groupDescendants(structure);
  const rows: GridRow[] = [];
  const seen = new Set<string>();

  const walk = (refs: Structure["roots"], depth: number) => {
    for (const ref of refs) {
      if (ref.type === "task") {
        seen.add(ref.id);
        rows.push({ kind: "task", id: ref.id, label: labels.get(ref.id) ?? ref.id, depth, role: roles.get(ref.id) ?? null });
        continue;
      }
      const group = groups.get(ref.id);
      if (!group) continue;
      const open = expanded.has(group.id);
      const tasks = descendants.get(group.id) ?? [];
      rows.push({ kind: "group", id: group.id, label: group.label, depth, expanded: open, taskIds: tasks });
      if (open) walk(group.children, depth + 1);
      else for (const id of tasks) seen.add(id);
    }
  };
  walk(structure.roots, 0);
  for (const id of taskIds) {
    if (!seen.has(id)) rows.push({ kind: "task", id, label: id, depth: 0 });
  }
  return rows;
}

/** Every task under each group, nested groups included, in tree order. */
export function groupDescendants(structure: Structure): Map<string, string[]> {
  const groups = new Map(structure.groups.map((group) => [group.id, group]));
  const memo = new Map<string, string[]>();
  const collect = (groupId: string): string[] => {
    const cached = memo.get(groupId);
    if (cached) return cached;
    const out: string[] = [];
    for (const child of groups.get(groupId)?.children ?? []) {
      if (child.type === "task") out.push(child.id);
      else out.push(...collect(child.id));
    }
    memo.set(groupId, out);
    return out;
  };
  for (const id of groups.keys()) collect(id);
  return memo;
}

/** The cell a row shows for one run: its own state, or the most urgent state of a group's tasks. */
export function rowCell(grid: DecodedGrid, row: GridRow, runIndex: number): Cell {
  if (row.kind === "task") return grid.cell(row.id, runIndex);
  const states: StateName[] = [];
  for (const taskId of row.taskIds) {
    const cell = grid.cell(taskId, runIndex);
    if (cell) states.push(cell);
  }
  return states.length ? mostUrgent(states) : null;
}

/** Run durations in seconds (running runs count up to `now`), for the bars above the grid. */
export function runDurations(runs: GridResponse["runs"], now: number): number[] {
  return runs.map((run) => {
    if (!run.start_date) return 0;
    const end = run.end_date ? Date.parse(run.end_date) : now;
    return Math.max(0, (end - Date.parse(run.start_date)) / 1000);
  });
}

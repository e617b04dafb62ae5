/**
 * Pure transforms behind the grid: decoding the compact state strings of /ui/grid and ordering
 * rows as the task-group tree, with collapsed groups standing for their tasks.
 */
import type { GridResponse, Structure } from "../../api/types";
import { groupDescendants, visibleTree } from "../../lib/structureTree";
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
  const descendants = groupDescendants(structure);
  const rows: GridRow[] = [];
  const seen = new Set<string>();
  for (const item of visibleTree(structure, expanded)) {
    const { id, label, depth } = item;
    if (item.kind === "task") {
      seen.add(id);
      rows.push({ kind: "task", id, label, depth, role: item.role });
      continue;
    }
    const tasks = descendants.get(id) ?? [];
    rows.push({ kind: "group", id, label, depth, expanded: item.open, taskIds: tasks });
    if (!item.open) for (const taskId of tasks) seen.add(taskId);
  }
  for (const id of taskIds) {
    if (!seen.has(id)) rows.push({ kind: "task", id, label: id, depth: 0 });
  }
  return rows;
}

/** The cell a row shows for one run: its own state, or the most urgent state of a group's tasks. */
export function rowCell(grid: DecodedGrid, row: GridRow, runIndex: number): Cell {
  return row.kind === "task" ? grid.cell(row.id, runIndex) : mostUrgentCell(grid, row.taskIds, runIndex);
}

/** The most urgent state of some tasks in one run (a group's colour); null when none has a task instance. */
export function mostUrgentCell(grid: DecodedGrid, taskIds: readonly string[], runIndex: number): Cell {
  const states: StateName[] = [];
  for (const taskId of taskIds) {
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

/** Map indexes per state of a mapped task in one run (the grid's `mapped` counts). */
export type MappedCounts = Record<string, number>;

/** "300 map indexes: 178 success, 30 running, …" — a mapped cell's tooltip, most first. */
export function mappedSummary(counts: MappedCounts | null | undefined): string {
  if (!counts) return "";
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const parts = entries.map(([state, n]) => `${n.toLocaleString("en-US")} ${state}`);
  return `${total.toLocaleString("en-US")} map index${total === 1 ? "" : "es"}: ${parts.join(", ")}`;
}

/** How many map indexes a mapped task has in one run; null when not expanded (or not mapped). */
export function mappedCount(counts: MappedCounts | null | undefined): number | null {
  return counts ? Object.values(counts).reduce((sum, n) => sum + n, 0) : null;
}

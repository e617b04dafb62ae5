/**
 * The Gantt's pure parts: rows in task-group tree order (a group row spans its tasks' bars), one
 * bar per try split into queued and running time, the critical path, and the time axis.
 */
import type { Structure } from "../../api/types";
import { groupDescendants, visibleTree } from "../../lib/structureTree";

export interface GanttTry {
  task_id: string;
  try_number: number;
  state: string | null;
  queued_at: string | null;
  start_date: string | null;
  end_date: string | null;
  current: boolean;
}

/** One try on the time axis (ms since epoch); `end` of a try still running is "now". */
export interface Bar {
  tryNumber: number;
  state: string | null;
  queued: number | null;
  start: number | null;
  end: number | null;
  current: boolean;
}

export interface GanttRow {
  kind: "task" | "group";
  id: string;
  label: string;
  depth: number;
  bars: Bar[];
  /** A group row: the span from its first queued to its last end. */
  span?: [number, number];
}

const time = (iso: string | null) => (iso ? Date.parse(iso) : null);

export function barsByTask(tries: GanttTry[], now: number): Map<string, Bar[]> {
  const out = new Map<string, Bar[]>();
  for (const t of tries) {
    const start = time(t.start_date);
    const running = start !== null && !t.end_date && t.current;
    const bar: Bar = {
      tryNumber: t.try_number,
      state: t.state,
      queued: time(t.queued_at),
      start,
      end: running ? now : time(t.end_date),
      current: t.current,
    };
    const list = out.get(t.task_id);
    if (list) list.push(bar);
    else out.set(t.task_id, [bar]);
  }
  return out;
}

function extent(bars: Bar[]): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const bar of bars) {
    for (const value of [bar.queued, bar.start, bar.end]) {
      if (value === null) continue;
      lo = Math.min(lo, value);
      hi = Math.max(hi, value);
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Rows of the visible task-group tree (the walk the grid and graph share); a group spans its tasks' bars. */
export function buildRows(structure: Structure, bars: Map<string, Bar[]>, open: ReadonlySet<string>): GanttRow[] {
  const descendants = groupDescendants(structure);
  return visibleTree(structure, open).map((item): GanttRow => {
    if (item.kind === "task") return { kind: "task", id: item.id, label: item.label, depth: item.depth, bars: bars.get(item.id) ?? [] };
    const inner = (descendants.get(item.id) ?? []).flatMap((taskId) => bars.get(taskId) ?? []);
    return { kind: "group", id: item.id, label: item.label, depth: item.depth, bars: [], span: extent(inner) ?? undefined };
  });
}

/** The whole run's time range, padded so a run with one instant still has a width. */
export function timeRange(bars: Map<string, Bar[]>): [number, number] | null {
  const range = extent([...bars.values()].flat());
  if (!range) return null;
  return range[1] - range[0] < 1000 ? [range[0], range[0] + 1000] : range;
}

/**
 * The chain of tasks that decided when the run ended: from the task that ended last, back through
 * the upstream task that ended last before it started, and so on.
 */
export function criticalPath(edges: Structure["edges"], bars: Map<string, Bar[]>): Set<string> {
  const endOf = new Map<string, number>();
  for (const [task, list] of bars) {
    const ends = list.map((bar) => bar.end).filter((end): end is number => end !== null);
    if (ends.length) endOf.set(task, Math.max(...ends));
  }
  const upstream = new Map<string, string[]>();
  for (const [up, down] of edges) {
    const list = upstream.get(down);
    if (list) list.push(up);
    else upstream.set(down, [up]);
  }
  const path = new Set<string>();
  let current: string | undefined = [...endOf.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  while (current && !path.has(current)) {
    path.add(current);
    let next: string | undefined;
    for (const up of upstream.get(current) ?? []) {
      const end = endOf.get(up);
      if (end !== undefined && (next === undefined || end > endOf.get(next)!)) next = up;
    }
    current = next;
  }
  return path;
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400].map((s) => s * 1000);

/** Tick positions (ms) about `count` apart on [from, to], at round durations from `from`. */
export function ticks(from: number, to: number, count = 6): number[] {
  const step = STEPS.find((s) => (to - from) / s <= count) ?? STEPS.at(-1)!;
  const out: number[] = [];
  for (let t = 0; from + t <= to; t += step) out.push(from + t);
  return out;
}

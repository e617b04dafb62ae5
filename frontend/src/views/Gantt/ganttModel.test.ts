import { describe, expect, it } from "vitest";
import { nestedStructure } from "../../test/structure";
import { barsByTask, buildRows, criticalPath, type GanttTry, ticks, timeRange } from "./ganttModel";

const T0 = Date.parse("2024-01-01T00:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const attempt = (task_id: string, try_number: number, state: string, q: number, s: number, e: number | null, current = true): GanttTry => ({
  task_id,
  try_number,
  state,
  queued_at: at(q),
  start_date: at(s),
  end_date: e === null ? null : at(e),
  current,
});

// nestedStructure: extract -> load.a -> load.inner.b -> report, extract -> load.inner.b, load.a -> report
const TRIES = [
  attempt("extract", 1, "success", 0, 1, 10),
  attempt("load.a", 1, "failed", 10, 11, 15, false),
  attempt("load.a", 2, "success", 20, 21, 30),
  attempt("load.inner.b", 1, "success", 30, 31, 40),
  attempt("report", 1, "running", 40, 42, null),
];

describe("gantt model", () => {
  const now = T0 + 50_000;
  const bars = barsByTask(TRIES, now);

  it("keeps every try as a bar, a running one ending now", () => {
    expect(bars.get("load.a")!.map((b) => [b.tryNumber, b.state, b.current])).toEqual([
      [1, "failed", false],
      [2, "success", true],
    ]);
    expect(bars.get("report")![0].end).toBe(now);
    expect(timeRange(bars)).toEqual([T0, now]);
  });

  it("orders rows as the group tree; a collapsed group keeps its span and hides its tasks", () => {
    const open = buildRows(nestedStructure(), bars, new Set(["load", "load.inner"]));
    expect(open.map((r) => `${r.kind}:${r.id}:${r.depth}`)).toEqual([
      "task:extract:0",
      "group:load:0",
      "task:load.a:1",
      "group:load.inner:1",
      "task:load.inner.b:2",
      "task:report:0",
    ]);
    expect(open[1].span).toEqual([T0 + 10_000, T0 + 40_000]);
    const closed = buildRows(nestedStructure(), bars, new Set());
    expect(closed.map((r) => r.id)).toEqual(["extract", "load", "report"]);
    expect(closed[1].span).toEqual([T0 + 10_000, T0 + 40_000]);
  });

  it("follows the latest-ending upstream back from the last task", () => {
    expect([...criticalPath(nestedStructure().edges, bars)]).toEqual(["report", "load.inner.b", "load.a", "extract"]);
  });

  it("puts ticks at round steps", () => {
    expect(ticks(T0, T0 + 60_000, 4)).toEqual([0, 15, 30, 45, 60].map((s) => T0 + s * 1000));
  });
});

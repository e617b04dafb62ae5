import { describe, expect, it } from "vitest";
import type { GridResponse } from "../../api/types";
import { nestedStructure } from "../../test/structure";
import { mostUrgent } from "../../theme/states";
import { buildRows, decodeGrid, mappedCount, mappedSummary, mostUrgentCell, rowCell, runDurations } from "./gridModel";

const STATE_CODES = {
  ".": "none",
  "-": "none",
  S: "scheduled",
  Q: "queued",
  R: "running",
  s: "success",
  f: "failed",
  k: "skipped",
  u: "upstream_failed",
  r: "up_for_retry",
  x: "removed",
};

function run(id: string, start?: string, end?: string): GridResponse["runs"][number] {
  return {
    run_id: id,
    state: "success",
    run_type: "scheduled",
    logical_date: "2024-01-01T00:00:00Z",
    start_date: start ?? null,
    end_date: end ?? null,
    version_number: 1,
  };
}

const grid = {
  runs: [run("r1"), run("r2"), run("r3")],
  task_ids: ["extract", "load.a", "load.inner.b", "report"],
  states: ["sss", "sfr", "suk", "s-."],
  state_codes: STATE_CODES,
};

const structure = nestedStructure();

describe("decodeGrid", () => {
  it("decodes each character through state_codes", () => {
    const decoded = decodeGrid(grid);
    expect(decoded.row("extract")).toEqual(["success", "success", "success"]);
    expect(decoded.row("load.a")).toEqual(["success", "failed", "up_for_retry"]);
    expect(decoded.row("load.inner.b")).toEqual(["success", "upstream_failed", "skipped"]);
  });

  it("decodes a sensor's up_for_reschedule and a deferred task, and ranks them as waiting", () => {
    const decoded = decodeGrid({
      ...grid,
      task_ids: ["poke", "defer"],
      runs: [run("r1"), run("r2")],
      states: ["ws", "dw"],
      state_codes: { ...STATE_CODES, w: "up_for_reschedule", d: "deferred" },
    });
    expect(decoded.row("poke")).toEqual(["up_for_reschedule", "success"]);
    expect(decoded.row("defer")).toEqual(["deferred", "up_for_reschedule"]);
    expect(mostUrgent(["success", "deferred", "queued"])).toBe("deferred");
    expect(mostUrgent(["up_for_reschedule", "running"])).toBe("running");
  });

  it("tells a missing task instance from a task instance without state", () => {
    const decoded = decodeGrid(grid);
    expect(decoded.cell("report", 1)).toBe("none");
    expect(decoded.cell("report", 2)).toBeNull();
  });

  it("returns no state for unknown tasks and runs out of range", () => {
    const decoded = decodeGrid(grid);
    expect(decoded.cell("nope", 0)).toBeNull();
    expect(decoded.cell("extract", 7)).toBeNull();
  });

  it("shows an unknown code as no status rather than crashing", () => {
    const decoded = decodeGrid({ ...grid, states: ["?ss", "sss", "sss", "sss"] });
    expect(decoded.cell("extract", 0)).toBe("none");
  });
});

describe("buildRows", () => {
  it("lists everything in tree order with depths when all groups are expanded", () => {
    const rows = buildRows(structure, grid.task_ids, new Set(["load", "load.inner"]));
    expect(rows.map((r) => [r.kind, r.id, r.depth])).toEqual([
      ["task", "extract", 0],
      ["group", "load", 0],
      ["task", "load.a", 1],
      ["group", "load.inner", 1],
      ["task", "load.inner.b", 2],
      ["task", "report", 0],
    ]);
  });

  it("hides the tasks and subgroups of a collapsed group", () => {
    const rows = buildRows(structure, grid.task_ids, new Set(["load.inner"]));
    expect(rows.map((r) => r.id)).toEqual(["extract", "load", "report"]);
    const load = rows[1];
    expect(load.kind === "group" && load.expanded).toBe(false);
    expect(load.kind === "group" && load.taskIds).toEqual(["load.a", "load.inner.b"]);
  });

  it("appends tasks the structure does not know", () => {
    const rows = buildRows(structure, [...grid.task_ids, "new_task"], new Set());
    expect(rows.at(-1)).toEqual({ kind: "task", id: "new_task", label: "new_task", depth: 0 });
  });
});

describe("group cells", () => {
  it("shows the most urgent state of a collapsed group's tasks", () => {
    const decoded = decodeGrid(grid);
    const [, load] = buildRows(structure, grid.task_ids, new Set());
    expect(rowCell(decoded, load, 0)).toBe("success");
    expect(rowCell(decoded, load, 1)).toBe("failed");
    expect(rowCell(decoded, load, 2)).toBe("up_for_retry");
  });

  it("colours any set of tasks in one run the same way (the graph's group nodes)", () => {
    const decoded = decodeGrid(grid);
    expect(mostUrgentCell(decoded, ["load.a", "load.inner.b"], 1)).toBe("failed");
    expect(mostUrgentCell(decoded, ["report"], 2)).toBeNull();
  });
});

describe("runDurations", () => {
  it("measures finished runs and counts running ones up to now", () => {
    const now = Date.parse("2024-01-01T00:10:00Z");
    const runs = [run("a", "2024-01-01T00:00:00Z", "2024-01-01T00:01:30Z"), run("b", "2024-01-01T00:09:00Z"), run("c")];
    expect(runDurations(runs, now)).toEqual([90, 60, 0]);
  });
});

describe("mapped task summaries", () => {
  it("counts map indexes per state, most first, for the cell's tooltip and the graph's badge", () => {
    const counts = { success: 9000, running: 999, failed: 1 };
    expect(mappedSummary(counts)).toBe("10,000 map indexes: 9,000 success, 999 running, 1 failed");
    expect(mappedCount(counts)).toBe(10000);
    expect(mappedSummary({ none: 1 })).toBe("1 map index: 1 none");
    expect([mappedSummary(null), mappedCount(null)]).toEqual(["", null]);
  });
});

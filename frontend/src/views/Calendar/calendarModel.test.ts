import { describe, expect, it } from "vitest";
import { dayOutcome, yearCells } from "./calendarModel";

describe("calendar model", () => {
  it("lays every day of the year out in Monday-first weeks", () => {
    const cells = yearCells(2024, [{ date: "2024-03-01", counts: { success: 2 } }]);
    expect(cells.length).toBe(366);
    expect(cells[0]).toEqual({ date: "2024-01-01", weekday: 0, week: 0, counts: {} }); // a Monday
    expect(cells.at(-1)).toMatchObject({ date: "2024-12-31", weekday: 1, week: 52 });
    expect(cells.find((c) => c.date === "2024-03-01")!.counts).toEqual({ success: 2 });
    expect(yearCells(2026, [])[0]).toMatchObject({ date: "2026-01-01", weekday: 3, week: 0 });
  });

  it("names a day by its single state, or mixed when runs failed and others did not", () => {
    expect(dayOutcome({})).toBe("");
    expect(dayOutcome({ success: 3 })).toBe("success");
    expect(dayOutcome({ success: 3, failed: 1 })).toBe("mixed");
    expect(dayOutcome({ success: 1, running: 1 })).toBe("running");
  });
});

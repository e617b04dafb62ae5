import { describe, expect, it } from "vitest";
import type { Backfill } from "../../api/types";
import { bodyFromForm, EMPTY_FORM, progressOf, statusOf, utcFromInput } from "./backfillModel";

const BACKFILL: Backfill = {
  id: 1,
  dag_id: "etl",
  from_date: "2024-01-01T00:00:00+00:00",
  to_date: "2024-01-05T00:00:00+00:00",
  dag_run_conf: {},
  is_paused: false,
  reprocess_behavior: "none",
  max_active_runs: 2,
  run_backwards: false,
  created_by: "ann",
  created_at: "2024-02-01T00:00:00+00:00",
  completed_at: null,
  updated_at: "2024-02-01T00:00:00+00:00",
  total_runs: 5,
  run_states: { queued: 2, success: 2, running: 1 },
}; // prettier-ignore

describe("backfill form", () => {
  it("reads the datetime inputs as UTC", () => {
    expect(utcFromInput("2024-01-01T06:30")).toBe("2024-01-01T06:30:00Z");
    expect(utcFromInput("2024-01-01")).toBeNull();
  });

  it("builds the request body, or says what is missing", () => {
    expect(bodyFromForm("etl", EMPTY_FORM)).toEqual({ problem: "Choose the first and last logical dates." });
    const form = { ...EMPTY_FORM, from: "2024-01-01T00:00", to: "2024-01-03T00:00", maxActiveRuns: "2", conf: '{"a": 1}' };
    expect(bodyFromForm("etl", form)).toEqual({
      body: {
        dag_id: "etl",
        from_date: "2024-01-01T00:00:00Z",
        to_date: "2024-01-03T00:00:00Z",
        reprocess_behavior: "none",
        max_active_runs: 2,
        run_backwards: false,
        dag_run_conf: { a: 1 },
      },
    }); // prettier-ignore
    expect(bodyFromForm("etl", { ...form, conf: "[1]" })).toEqual({ problem: 'Conf must be a JSON object, e.g. {"key": "value"}.' });
    expect(bodyFromForm("etl", { ...form, maxActiveRuns: "0" })).toEqual({ problem: "Max active runs must be a whole number from 1." });
  });
});

describe("backfill progress", () => {
  it("counts finished runs and orders the states", () => {
    expect(progressOf(BACKFILL)).toEqual({
      done: 2,
      total: 5,
      parts: [
        ["success", 2],
        ["running", 1],
        ["queued", 2],
      ],
    });
    expect(statusOf(BACKFILL)).toBe("running");
    expect(statusOf({ ...BACKFILL, is_paused: true })).toBe("paused");
    expect(statusOf({ ...BACKFILL, completed_at: "2024-02-02T00:00:00+00:00" })).toBe("completed");
  });
});

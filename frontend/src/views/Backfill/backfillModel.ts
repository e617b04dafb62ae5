/** What the backfill views compute from API objects: request bodies from the form, progress from counts. */
import type { Backfill, BackfillRequest } from "../../api/types";

export interface BackfillForm {
  from: string; // <input type="datetime-local"> value, read as UTC
  to: string;
  reprocess: BackfillRequest["reprocess_behavior"];
  maxActiveRuns: string;
  runBackwards: boolean;
  conf: string; // a JSON object
}

export const EMPTY_FORM: BackfillForm = { from: "", to: "", reprocess: "none", maxActiveRuns: "10", runBackwards: false, conf: "{}" };

/** "2024-01-01T06:30" (no zone, from the input) -> "2024-01-01T06:30:00Z". */
export function utcFromInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  return `${value.length === 16 ? `${value}:00` : value}Z`;
}

/** The request body, or the reason the form cannot be sent yet. */
export function bodyFromForm(dagId: string, form: BackfillForm): { body: BackfillRequest } | { problem: string } {
  const from = utcFromInput(form.from);
  const to = utcFromInput(form.to);
  if (!from || !to) return { problem: "Choose the first and last logical dates." };
  const maxActiveRuns = Number(form.maxActiveRuns);
  if (!Number.isInteger(maxActiveRuns) || maxActiveRuns < 1) return { problem: "Max active runs must be a whole number from 1." };
  let conf: unknown;
  try {
    conf = JSON.parse(form.conf);
  } catch {
    conf = null;
  }
  if (typeof conf !== "object" || conf === null || Array.isArray(conf))
    return { problem: 'Conf must be a JSON object, e.g. {"key": "value"}.' };
  return {
    body: {
      dag_id: dagId,
      from_date: from,
      to_date: to,
      reprocess_behavior: form.reprocess,
      max_active_runs: maxActiveRuns,
      run_backwards: form.runBackwards,
      dag_run_conf: conf as Record<string, unknown>,
    },
  };
}

export type BackfillStatus = "completed" | "paused" | "running";

export function statusOf(backfill: Backfill): BackfillStatus {
  if (backfill.completed_at) return "completed";
  return backfill.is_paused ? "paused" : "running";
}

/** Finished runs of all, and the states in a fixed order for the progress bar. */
export function progressOf(backfill: Backfill): { done: number; total: number; parts: [string, number][] } {
  const counts = backfill.run_states;
  const order = ["success", "failed", "running", "queued"];
  const parts = [
    ...order,
    ...Object.keys(counts)
      .filter((s) => !order.includes(s))
      .sort(),
  ]
    .filter((state) => counts[state])
    .map((state): [string, number] => [state, counts[state]]);
  return { done: (counts.success ?? 0) + (counts.failed ?? 0), total: backfill.total_runs, parts };
}

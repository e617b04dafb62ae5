/**
 * The one state-colour table of the UI. Colours follow the Okabe-Ito palette, which stays
 * distinguishable under the common colour-vision deficiencies; every use also shows the state's
 * name (text or title) so colour is never the only cue.
 */
export type StateName =
  | "success"
  | "failed"
  | "running"
  | "queued"
  | "scheduled"
  | "up_for_retry"
  | "up_for_reschedule"
  | "deferred"
  | "upstream_failed"
  | "skipped"
  | "removed"
  | "none";

export interface StateStyle {
  label: string;
  color: string;
  /** Text colour with WCAG AA contrast (4.5:1) on `color`. */
  text: string;
}

export const STATES: Record<StateName, StateStyle> = {
  success: { label: "success", color: "#009E73", text: "#000" },
  failed: { label: "failed", color: "#D55E00", text: "#000" },
  running: { label: "running", color: "#0072B2", text: "#fff" },
  queued: { label: "queued", color: "#56B4E9", text: "#000" },
  scheduled: { label: "scheduled", color: "#B8A77A", text: "#000" },
  up_for_retry: { label: "up for retry", color: "#F0E442", text: "#000" },
  up_for_reschedule: { label: "up for reschedule", color: "#7FD1C7", text: "#000" },
  deferred: { label: "deferred", color: "#A98FD8", text: "#000" },
  upstream_failed: { label: "upstream failed", color: "#E69F00", text: "#000" },
  skipped: { label: "skipped", color: "#CC79A7", text: "#000" },
  removed: { label: "removed", color: "#8C8C8C", text: "#000" },
  none: { label: "no status", color: "var(--state-none)", text: "var(--fg-muted)" },
};

/** Legend order: the life of a task, then its endings. */
export const LEGEND_ORDER: StateName[] = [
  "none",
  "scheduled",
  "queued",
  "running",
  "up_for_reschedule",
  "deferred",
  "success",
  "failed",
  "up_for_retry",
  "upstream_failed",
  "skipped",
  "removed",
];

export function stateName(state: string | null | undefined): StateName {
  return state && state in STATES ? (state as StateName) : "none";
}

export function stateStyle(state: string | null | undefined): StateStyle {
  return STATES[stateName(state)];
}

/**
 * Which state a collapsed group shows: the most urgent of its tasks'. Failure outranks progress,
 * progress outranks completion, so a group is green only when every task is done.
 */
const URGENCY: StateName[] = [
  "failed",
  "upstream_failed",
  "up_for_retry",
  "running",
  "up_for_reschedule",
  "deferred",
  "queued",
  "scheduled",
  "none",
  "success",
  "skipped",
  "removed",
];

export function mostUrgent(states: Iterable<StateName>): StateName {
  let best = URGENCY.length;
  for (const state of states) {
    const rank = URGENCY.indexOf(state);
    if (rank < best) best = rank;
    if (best === 0) break;
  }
  return best < URGENCY.length ? URGENCY[best] : "none";
}

/**
 * Query keys in one place. Every per-DAG key starts ["dag", dagId, <topic>], so the live view can
 * invalidate exactly the topics a change touches (see changes.ts).
 */
export type DagTopic = "dag" | "details" | "structure" | "source" | "versions" | "tasks" | "runs" | "grid" | "tis" | "ti" | "backfills";

/** Topics derived from the parsed DAG file (change kind "dag"). */
export const DEFINITION_TOPICS: readonly DagTopic[] = ["dag", "details", "structure", "source", "versions", "tasks"];
/** Topics derived from runs and task instances (change kind "run"). */
export const RUN_TOPICS: readonly DagTopic[] = ["dag", "runs", "grid", "tis", "ti", "backfills"];

export const keys = {
  dagList: (params?: object) => (params ? (["dags", params] as const) : (["dags"] as const)),
  dagTopic: (dagId: string, topic: DagTopic, ...rest: unknown[]) => ["dag", dagId, topic, ...rest] as const,
  importErrors: (params?: object) => (params ? (["importErrors", params] as const) : (["importErrors"] as const)),
  health: () => ["health"] as const,
  workers: (params?: object) => (params ? (["workers", params] as const) : (["workers"] as const)),
  home: (...rest: unknown[]) => ["home", ...rest] as const,
  /** Assets, their events and the lineage graph: stale after an asset event or a new DAG version. */
  assets: (...rest: unknown[]) => ["assets", ...rest] as const,
  /** Variables, connections and pools: stored settings, refetched after each write and on focus. */
  managed: (resource: string, ...rest: unknown[]) => ["managed", resource, ...rest] as const,
};

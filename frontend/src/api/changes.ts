/** Turning a /ui/changes answer into the query-key prefixes to invalidate, and nothing more. */
import { DEFINITION_TOPICS, keys, RUN_TOPICS } from "./keys";
import type { ChangesResponse } from "./types";

export type KeyPrefix = readonly unknown[];

/**
 * Which cached queries a batch of changes makes stale. A "truncated" batch means the server
 * dropped details, so everything is stale. Duplicates are removed so one busy DAG costs one
 * invalidation per topic.
 */
export function keysToInvalidate(changes: ChangesResponse): KeyPrefix[] {
  if (changes.truncated) return [[]];
  const out = new Map<string, KeyPrefix>();
  const add = (key: KeyPrefix) => out.set(JSON.stringify(key), key);
  // The home page counts runs and import errors of every DAG: any change touches it.
  if (changes.changes.length) add(keys.home());
  for (const { dag_id: dagId, kind } of changes.changes) {
    if (kind === "asset") {
      add(keys.assets());
      continue;
    }
    // A new version may produce or consume other assets: the lineage and references change.
    if (kind === "dag") add(keys.assets());
    if (kind === "import_error") {
      add(keys.importErrors());
      add(keys.dagList());
      if (dagId) add(keys.dagTopic(dagId, "dag"));
      continue;
    }
    // The list shows pause state, latest run and the recent-run strip: both kinds touch it.
    add(keys.dagList());
    if (!dagId) continue;
    for (const topic of kind === "dag" ? DEFINITION_TOPICS : RUN_TOPICS) add(keys.dagTopic(dagId, topic));
  }
  return [...out.values()];
}

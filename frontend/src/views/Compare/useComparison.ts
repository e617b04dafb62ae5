/** The comparison overlay's data: the older structure and the diff, merged into one drawing. */
import { useMemo } from "react";
import { useStructureDiff, useVersionStructure } from "../../api/insights";
import type { StructureResponse } from "../../api/types";
import { timed } from "../../lib/perf";
import { compareStructures } from "./compareStructures";

/**
 * ``toHint``: the version expected to be drawn (the DAG's current one), so the diff is fetched
 * alongside the structure instead of after it; once the structure is here its version rules.
 */
export function useComparison(dagId: string, fromVersion: number | null, drawn: StructureResponse | undefined, toHint?: number | null) {
  const toVersion = drawn?.version_number ?? toHint ?? null;
  const to = toVersion !== null ? { version: toVersion } : null;
  const from = fromVersion !== null ? { version: fromVersion } : null;
  const previous = useVersionStructure(dagId, fromVersion);
  const diff = useStructureDiff(dagId, from, to);
  const ready =
    drawn && previous.data && diff.data && diff.data.to_version === drawn.version_number && diff.data.from_version === fromVersion;
  const comparison = useMemo(
    () => (ready ? timed("dk:compare-build", () => compareStructures(drawn.structure, previous.data!.structure, diff.data!)) : null),
    [ready, drawn, previous.data, diff.data],
  );
  return {
    comparison,
    diff: ready ? diff.data! : null,
    error: previous.error ?? diff.error ?? null,
    hash: ready ? `${drawn.hash}~${previous.data!.hash}` : null,
  };
}

/** The comparison overlay's data: the older structure and the diff, merged into one drawing. */
import { useMemo } from "react";
import { useStructureDiff, useVersionStructure } from "../../api/insights";
import type { StructureResponse } from "../../api/types";
import { compareStructures } from "./compareStructures";

export function useComparison(dagId: string, fromVersion: number | null, drawn: StructureResponse | undefined) {
  const to = drawn ? { version: drawn.version_number } : null;
  const from = fromVersion !== null ? { version: fromVersion } : null;
  const previous = useVersionStructure(dagId, fromVersion);
  const diff = useStructureDiff(dagId, from, to);
  const ready =
    drawn && previous.data && diff.data && diff.data.to_version === drawn.version_number && diff.data.from_version === fromVersion;
  const comparison = useMemo(
    () => (ready ? compareStructures(drawn.structure, previous.data!.structure, diff.data!) : null),
    [ready, drawn, previous.data, diff.data],
  );
  return {
    comparison,
    diff: ready ? diff.data! : null,
    error: previous.error ?? diff.error ?? null,
    hash: ready ? `${drawn.hash}~${previous.data!.hash}` : null,
  };
}

/** The comparison overlay's data: the older structure and the diff, merged into one drawing. */
import { useMemo } from "react";
import { useStructureDiff, useVersionStructure } from "../../api/insights";
import type { StructureResponse } from "../../api/types";
import { timed } from "../../lib/perf";
import { diffMarks, unionStructure } from "./compareStructures";

/**
 * ``run``: the run whose version is drawn, or null for the current version. The diff names the
 * same side, so it is fetched alongside the drawn structure instead of after it; it is used once
 * both agree on the version.
 *
 * ``structure`` (both versions in one drawing) comes as soon as both structures are here, so the
 * graph lays it out while the server still computes the diff; ``marks`` and ``diff`` follow.
 */
export function useComparison(dagId: string, fromVersion: number | null, drawn: StructureResponse | undefined, run: string | null) {
  const to = run !== null ? { run } : null;
  const from = fromVersion !== null ? { version: fromVersion } : null;
  const previous = useVersionStructure(dagId, fromVersion);
  const diff = useStructureDiff(dagId, from, to);
  const both = fromVersion !== null && drawn && previous.data?.version_number === fromVersion ? previous.data : null;
  const structure = useMemo(
    () => (drawn && both ? timed("dk:compare-union", () => unionStructure(drawn.structure, both.structure)) : null),
    [drawn, both],
  );
  const ready = drawn && structure && diff.data && diff.data.to_version === drawn.version_number && diff.data.from_version === fromVersion;
  const marks = useMemo(
    () => (ready ? timed("dk:compare-marks", () => diffMarks(drawn.structure, structure, diff.data!)) : null),
    [ready, drawn, structure, diff.data],
  );
  return {
    structure,
    marks,
    diff: ready ? diff.data! : null,
    error: previous.error ?? diff.error ?? null,
    hash: structure ? `${drawn!.hash}~${both!.hash}` : null,
  };
}

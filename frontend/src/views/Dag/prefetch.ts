/**
 * Starts a DAG tab's requests from the main bundle, at the same moment as the tab's lazily loaded
 * script chunk, instead of after it has loaded and rendered: the graph, its comparison and the
 * Gantt then wait for whichever comes last, not for both in turn. The views' own hooks use the
 * same query options, so they pick up these requests (in flight or done) rather than repeat them.
 */
import type { QueryClient } from "@tanstack/react-query";
import { dagRunsQuery, gridQuery, structureQuery, versionsQuery } from "../../api/hooks";
import { ganttQuery, structureDiffQuery, versionStructureQuery } from "../../api/insights";

/** The runs list the graph and the Gantt show in their run picker. */
export const RUN_PICKER = { limit: 50, offset: 0 } as const;

export function prefetchTab(client: QueryClient, dagId: string, tab: string, params: URLSearchParams): void {
  const chosenRun = params.get("run_id");
  const ignore = () => undefined; // a failed prefetch is reported by the view's own query
  if (tab === "graph") {
    void client.prefetchQuery(dagRunsQuery(dagId, RUN_PICKER));
    void client.prefetchQuery(structureQuery(dagId, chosenRun));
    void client.prefetchQuery(gridQuery(dagId, 1, null, chosenRun));
    const compare = Number(params.get("compare")) || null;
    if (compare) {
      void client.prefetchQuery(versionsQuery(dagId));
      void client.prefetchQuery(versionStructureQuery(dagId, compare));
      void client.prefetchQuery(structureDiffQuery(dagId, { version: compare }, chosenRun ? { run: chosenRun } : null));
    }
  } else if (tab === "gantt") {
    void client.prefetchQuery(ganttQuery(dagId, chosenRun)); // no run chosen: the newest
    if (chosenRun) void client.prefetchQuery(structureQuery(dagId, chosenRun));
    else
      client
        .fetchQuery(dagRunsQuery(dagId, RUN_PICKER))
        .then((runs) => runs.dag_runs[0] && client.prefetchQuery(structureQuery(dagId, runs.dag_runs[0].run_id)))
        .catch(ignore);
  }
}

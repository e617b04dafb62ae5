/** One TanStack Query hook per endpoint; components never call fetch themselves. */
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { queryString, request } from "./client";
import { keys } from "./keys";
import type {
  ClearRequest,
  ClearResult,
  Dag,
  DagCollection,
  DagDetails,
  DagRun,
  DagRunCollection,
  DagSource,
  DagVersionCollection,
  GridResponse,
  ImportErrorCollection,
  MappedCollection,
  StructureResponse,
  TaskInstance,
  TaskInstanceDetail,
  TriggerRequest,
  WorkerCollection,
  XComCollection,
} from "./types";

const enc = encodeURIComponent;
const dagPath = (dagId: string) => `/api/v1/dags/${enc(dagId)}`;
const runPath = (dagId: string, runId: string) => `${dagPath(dagId)}/dagRuns/${enc(runId)}`;
const tiPath = (dagId: string, runId: string, taskId: string) => `${runPath(dagId, runId)}/taskInstances/${enc(taskId)}`;
/** `?map_index=N` for one map index of a mapped task; nothing for an unmapped task (-1). */
const mapIndexQuery = (mapIndex: number) => (mapIndex >= 0 ? { map_index: mapIndex } : {});

export interface DagListParams {
  search?: string;
  tags?: string[];
  paused?: boolean;
  only_active?: boolean;
  has_import_errors?: boolean;
  order_by?: string;
  limit: number;
  offset: number;
}

export function useDags(params: DagListParams) {
  return useQuery({
    queryKey: keys.dagList(params),
    queryFn: ({ signal }) => request<DagCollection>(`/api/v1/dags${queryString({ ...params })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useDag(dagId: string) {
  return useQuery(dagQuery(dagId));
}

export const dagQuery = (dagId: string) =>
  queryOptions({
    queryKey: keys.dagTopic(dagId, "dag"),
    queryFn: ({ signal }) => request<Dag>(dagPath(dagId), { signal }),
  });

export function useDagDetails(dagId: string) {
  return useQuery({
    queryKey: keys.dagTopic(dagId, "details"),
    queryFn: ({ signal }) => request<DagDetails>(`${dagPath(dagId)}/details`, { signal }),
  });
}

/** The structure of the current version, or of the version a given run ran with. */
export function useStructure(dagId: string, runId?: string | null) {
  return useQuery(structureQuery(dagId, runId));
}

// Query options shared by a view's hooks and by prefetchTab (views/Dag/prefetch.ts), which
// starts a tab's requests while the tab's script chunk still loads.
export const structureQuery = (dagId: string, runId?: string | null) =>
  queryOptions({
    queryKey: keys.dagTopic(dagId, "structure", runId ?? null),
    queryFn: ({ signal }) => request<StructureResponse>(`/ui/structure/${enc(dagId)}${queryString({ run_id: runId })}`, { signal }),
    placeholderData: keepPreviousData,
  });

/** The newest `limit` runs' states (or only run `runId`'s, with its own version's rows). */
export function useGrid(dagId: string, limit: number, before?: string | null, runId?: string | null) {
  return useQuery(gridQuery(dagId, limit, before, runId));
}

export const gridQuery = (dagId: string, limit: number, before?: string | null, runId?: string | null) =>
  queryOptions({
    queryKey: keys.dagTopic(dagId, "grid", limit, before ?? null, runId ?? null),
    queryFn: ({ signal }) => request<GridResponse>(`/ui/grid/${enc(dagId)}${queryString({ limit, before, run_id: runId })}`, { signal }),
    placeholderData: keepPreviousData,
  });

export function useDagRuns(dagId: string, params: { limit: number; offset: number; state?: string[] }) {
  return useQuery(dagRunsQuery(dagId, params));
}

export const dagRunsQuery = (dagId: string, params: { limit: number; offset: number; state?: string[] }) =>
  queryOptions({
    queryKey: keys.dagTopic(dagId, "runs", params),
    queryFn: ({ signal }) => request<DagRunCollection>(`${dagPath(dagId)}/dagRuns${queryString(params)}`, { signal }),
    placeholderData: keepPreviousData,
  });

export function useDagRun(dagId: string, runId: string | null) {
  return useQuery({
    queryKey: keys.dagTopic(dagId, "runs", "one", runId),
    queryFn: ({ signal }) => request<DagRun>(runPath(dagId, runId!), { signal }),
    enabled: !!runId,
  });
}

export function useTaskInstance(dagId: string, runId: string, taskId: string, mapIndex = -1) {
  return useQuery({
    queryKey: keys.dagTopic(dagId, "ti", runId, taskId, mapIndex),
    queryFn: ({ signal }) =>
      request<TaskInstanceDetail>(`${tiPath(dagId, runId, taskId)}${queryString(mapIndexQuery(mapIndex))}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** One page of a mapped task's map indexes in a run, optionally of one state (server-side paging). */
export function useMappedTaskInstances(
  dagId: string,
  runId: string,
  taskId: string,
  params: { state?: string | null; limit: number; offset: number },
) {
  return useQuery({
    queryKey: keys.dagTopic(dagId, "ti", runId, taskId, "mapped", params),
    queryFn: ({ signal }) => request<MappedCollection>(`${tiPath(dagId, runId, taskId)}/listMapped${queryString(params)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** The task instance's XComs; under the "ti" topic so a run change refetches them. */
export function useXComs(dagId: string, runId: string, taskId: string, mapIndex = -1) {
  return useQuery({
    queryKey: keys.dagTopic(dagId, "ti", runId, taskId, mapIndex, "xcoms"),
    queryFn: ({ signal }) =>
      request<XComCollection>(`${tiPath(dagId, runId, taskId)}/xcomEntries${queryString(mapIndexQuery(mapIndex))}`, { signal }),
  });
}

export function logPath(dagId: string, runId: string, taskId: string, tryNumber: number, offset: number, mapIndex = -1) {
  return `${tiPath(dagId, runId, taskId)}/logs/${tryNumber}${queryString({ offset, ...mapIndexQuery(mapIndex) })}`;
}

/** Where a try's whole log is downloaded from. */
export function logDownloadPath(dagId: string, runId: string, taskId: string, tryNumber: number, mapIndex = -1) {
  return `${tiPath(dagId, runId, taskId)}/logs/${tryNumber}/download${queryString(mapIndexQuery(mapIndex))}`;
}

export function useSource(dagId: string, version?: number | null) {
  return useQuery({
    queryKey: keys.dagTopic(dagId, "source", version ?? null),
    queryFn: ({ signal }) => request<DagSource>(`${dagPath(dagId)}/source${queryString({ version })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useVersions(dagId: string) {
  return useQuery(versionsQuery(dagId));
}

export const versionsQuery = (dagId: string) =>
  queryOptions({
    queryKey: keys.dagTopic(dagId, "versions"),
    queryFn: ({ signal }) => request<DagVersionCollection>(`${dagPath(dagId)}/versions`, { signal }),
  });

export function useImportErrors(params: { limit: number; offset: number }) {
  return useQuery({
    queryKey: keys.importErrors(params),
    queryFn: ({ signal }) => request<ImportErrorCollection>(`/api/v1/importErrors${queryString(params)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** Workers heartbeat without moving the change token, so this list polls on its own. */
export function useWorkers(params: { limit: number; offset: number }) {
  return useQuery({
    queryKey: keys.workers(params),
    queryFn: ({ signal }) => request<WorkerCollection>(`/api/v1/workers${queryString(params)}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
}

/** After a write, refetch what it touched at once instead of waiting for the change poll. */
function useRefreshDag() {
  const client = useQueryClient();
  return (dagId: string) => {
    void client.invalidateQueries({ queryKey: keys.dagList() });
    void client.invalidateQueries({ queryKey: ["dag", dagId] });
  };
}

export function usePauseDag() {
  const refresh = useRefreshDag();
  return useMutation({
    mutationFn: ({ dagId, isPaused }: { dagId: string; isPaused: boolean }) =>
      request<Dag>(dagPath(dagId), { method: "PATCH", body: { is_paused: isPaused } }),
    onSettled: (_data, _error, { dagId }) => refresh(dagId),
  });
}

export function useTriggerDag(dagId: string) {
  const refresh = useRefreshDag();
  return useMutation({
    mutationFn: (body: TriggerRequest) => request<DagRun>(`${dagPath(dagId)}/dagRuns`, { method: "POST", body }),
    onSuccess: () => refresh(dagId),
  });
}

export function useClearTaskInstances(dagId: string) {
  const refresh = useRefreshDag();
  return useMutation({
    mutationFn: (body: ClearRequest) => request<ClearResult>(`${dagPath(dagId)}/clearTaskInstances`, { method: "POST", body }),
    onSuccess: (_data, body) => {
      if (!body.dry_run) refresh(dagId);
    },
  });
}

export function useSetTaskInstanceState(dagId: string) {
  const refresh = useRefreshDag();
  return useMutation({
    mutationFn: ({
      runId,
      taskId,
      state,
      mapIndex = -1,
    }: {
      runId: string;
      taskId: string;
      state: "success" | "failed";
      mapIndex?: number;
    }) =>
      request<TaskInstance>(`${tiPath(dagId, runId, taskId)}${queryString(mapIndexQuery(mapIndex))}`, { method: "PATCH", body: { state } }),
    onSuccess: () => refresh(dagId),
  });
}

export function useSetRunState(dagId: string) {
  const refresh = useRefreshDag();
  return useMutation({
    mutationFn: ({ runId, state }: { runId: string; state: "success" | "failed" | "queued" }) =>
      request<DagRun>(runPath(dagId, runId), { method: "PATCH", body: { state } }),
    onSuccess: () => refresh(dagId),
  });
}

export function useSetRunNote(dagId: string) {
  const refresh = useRefreshDag();
  return useMutation({
    mutationFn: ({ runId, note }: { runId: string; note: string | null }) =>
      request<DagRun>(`${runPath(dagId, runId)}/setNote`, { method: "PATCH", body: { note } }),
    onSuccess: () => refresh(dagId),
  });
}

export function useSetTaskInstanceNote(dagId: string) {
  const refresh = useRefreshDag();
  return useMutation({
    mutationFn: ({ runId, taskId, note, mapIndex = -1 }: { runId: string; taskId: string; note: string | null; mapIndex?: number }) =>
      request<TaskInstance>(`${tiPath(dagId, runId, taskId)}/setNote${queryString(mapIndexQuery(mapIndex))}`, {
        method: "PATCH",
        body: { note },
      }),
    onSuccess: () => refresh(dagId),
  });
}

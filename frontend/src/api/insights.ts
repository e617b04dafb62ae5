/**
 * Query hooks of the "what changed, where did the time go" views (compare, home, Gantt,
 * calendar). Kept beside hooks.ts so those views grow without touching the core hooks.
 */
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { queryString, request } from "./client";
import { keys } from "./keys";
import type {
  CalendarResponse,
  DeletedDag,
  GanttResponse,
  HomeResponse,
  ParseRequestResponse,
  StructureDiff,
  StructureResponse,
  TaskHistoryResponse,
} from "./types";

const enc = encodeURIComponent;

/** One side of a comparison: a version number, or the run whose version is meant. */
export type Side = { version: number } | { run: string };

function sideParams(name: "from" | "to", side: Side) {
  return "version" in side ? { [name]: side.version } : { [`${name}_run`]: side.run };
}

/** ``to`` null: the DAG's current version (the server reads it; no round trip for its number first). */
export function useStructureDiff(dagId: string, from: Side | null, to: Side | null) {
  return useQuery(structureDiffQuery(dagId, from, to));
}

export const structureDiffQuery = (dagId: string, from: Side | null, to: Side | null) =>
  queryOptions({
    queryKey: keys.dagTopic(dagId, "structure", "diff", from, to),
    queryFn: ({ signal }) =>
      request<StructureDiff>(
        `/ui/diff/${enc(dagId)}${queryString({ ...sideParams("from", from!), ...(to ? sideParams("to", to) : {}) })}`,
        { signal },
      ),
    enabled: !!from,
    placeholderData: keepPreviousData,
  });

/** The structure of one version by number (versions are immutable). */
export function useVersionStructure(dagId: string, version: number | null) {
  return useQuery(versionStructureQuery(dagId, version));
}

export const versionStructureQuery = (dagId: string, version: number | null) =>
  queryOptions({
    queryKey: keys.dagTopic(dagId, "structure", "version", version),
    queryFn: ({ signal }) => request<StructureResponse>(`/ui/structure/${enc(dagId)}${queryString({ version })}`, { signal }),
    enabled: version !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });

/** Heartbeats move without the change feed, so the home page also polls at their pace. */
export function useHome(hours: number) {
  return useQuery({
    queryKey: keys.home(hours),
    queryFn: ({ signal }) => request<HomeResponse>(`/ui/home${queryString({ hours })}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.heartbeat_interval ?? 5) * 1000,
  });
}

export function useGantt(dagId: string, runId: string | null) {
  return useQuery(ganttQuery(dagId, runId));
}

export const ganttQuery = (dagId: string, runId: string | null) =>
  queryOptions({
    queryKey: keys.dagTopic(dagId, "tis", "gantt", runId),
    queryFn: ({ signal }) => request<GanttResponse>(`/ui/gantt/${enc(dagId)}${queryString({ run_id: runId })}`, { signal }),
    enabled: !!runId,
    placeholderData: keepPreviousData,
  });

export function useTaskHistory(dagId: string, taskId: string) {
  return useQuery({
    queryKey: keys.dagTopic(dagId, "runs", "taskHistory", taskId),
    queryFn: ({ signal }) => request<TaskHistoryResponse>(`/ui/task_history/${enc(dagId)}/${enc(taskId)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCalendar(dagId: string, year: number) {
  return useQuery({
    queryKey: keys.dagTopic(dagId, "runs", "calendar", year),
    queryFn: ({ signal }) => request<CalendarResponse>(`/ui/calendar/${enc(dagId)}${queryString({ year })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** "Reparse now": records a request the processor takes within a second (the server never parses). */
export function useReparse() {
  return useMutation({
    mutationFn: (fileloc: string) => request<ParseRequestResponse>("/api/v1/parseRequests", { method: "POST", body: { fileloc } }),
  });
}

export function useDeleteDag() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (dagId: string) => request<DeletedDag>(`/api/v1/dags/${enc(dagId)}`, { method: "DELETE" }),
    onSuccess: (_data, dagId) => {
      void client.invalidateQueries({ queryKey: keys.dagList() });
      client.removeQueries({ queryKey: ["dag", dagId] });
    },
  });
}

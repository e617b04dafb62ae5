/** Query hooks for /api/v1/backfills: a DAG's backfills, the live dry run, create and the controls. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { queryString, request } from "./client";
import { keys } from "./keys";
import type { Backfill, BackfillCollection, BackfillDryRun, BackfillRequest } from "./types";

const BACKFILLS = "/api/v1/backfills";

export function useBackfills(dagId: string) {
  return useQuery({
    queryKey: keys.dagTopic(dagId, "backfills"),
    queryFn: ({ signal }) => request<BackfillCollection>(`${BACKFILLS}${queryString({ dag_id: dagId, limit: 100 })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** The runs a backfill with `body` would create, refetched as the form changes (null: form incomplete). */
export function useBackfillDryRun(dagId: string, body: BackfillRequest | null) {
  return useQuery({
    queryKey: keys.dagTopic(dagId, "backfills", "dry_run", body),
    queryFn: ({ signal }) => request<BackfillDryRun>(`${BACKFILLS}/dry_run`, { method: "POST", body, signal }),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

function useRefresh(dagId: string) {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ["dag", dagId] });
}

export function useCreateBackfill(dagId: string) {
  const refresh = useRefresh(dagId);
  return useMutation({
    mutationFn: (body: BackfillRequest) => request<Backfill>(BACKFILLS, { method: "POST", body }),
    onSuccess: refresh,
  });
}

export type BackfillAction = "pause" | "unpause" | "cancel";

export function useBackfillAction(dagId: string) {
  const refresh = useRefresh(dagId);
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: BackfillAction }) =>
      request<Backfill>(`${BACKFILLS}/${id}/${action}`, { method: "PUT", body: {} }),
    onSettled: refresh,
  });
}

/** Assets: types from the generated schema and one TanStack Query hook per endpoint. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { queryString, request } from "./client";
import { keys } from "./keys";
import type { components } from "./schema";

type S = components["schemas"];
export type AssetEvent = S["AssetEvent"];
export type Asset = Omit<S["Asset"], "latest_event"> & { latest_event: AssetEvent | null };
export type AssetCollection = { assets: Asset[]; total_entries: number };
export type AssetEventCollection = S["AssetEventCollection"];
export type AssetLineage = S["AssetLineage"];

/**
 * Assets change with events and with publications (references). The live view invalidates every
 * key below on an "asset" or "dag" change (changes.ts), so nothing here polls on a timer.
 */

export function useAssets(params: { uri_pattern?: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: keys.assets(params),
    queryFn: ({ signal }) => request<AssetCollection>(`/api/v1/assets${queryString({ ...params })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useAsset(assetId: number) {
  return useQuery({
    queryKey: keys.assets("one", assetId),
    queryFn: ({ signal }) => request<Asset>(`/api/v1/assets/${assetId}`, { signal }),
  });
}

export function useAssetEvents(params: { asset_id: number; limit: number; offset: number }) {
  return useQuery({
    queryKey: keys.assets("events", params),
    queryFn: ({ signal }) => request<AssetEventCollection>(`/api/v1/assets/events${queryString({ ...params })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useAssetLineage() {
  return useQuery({
    queryKey: keys.assets("lineage"),
    queryFn: ({ signal }) => request<AssetLineage>("/ui/assetLineage", { signal }),
  });
}

export function useRunAssetEvents(dagId: string, runId: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.assets("run", dagId, runId),
    queryFn: ({ signal }) =>
      request<AssetEventCollection>(`/api/v1/dags/${encodeURIComponent(dagId)}/dagRuns/${encodeURIComponent(runId)}/upstreamAssetEvents`, {
        signal,
      }),
    enabled,
  });
}

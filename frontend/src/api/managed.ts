/**
 * Hooks for the stored settings users manage by name (variables, connections, pools): one
 * list query and one save/delete pair per resource, built by one function so the three stay alike.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { queryString, request } from "./client";
import { keys } from "./keys";
import type { ConnectionCollection, PoolCollection, VariableCollection } from "./types";

export interface ManagedResource<Collection> {
  /** Path under /api/v1 and query-key name, e.g. "variables". */
  name: string;
  /** The item array of a collection response. */
  items: (collection: Collection) => unknown[];
}

export const VARIABLES: ManagedResource<VariableCollection> = { name: "variables", items: (c) => c.variables };
export const CONNECTIONS: ManagedResource<ConnectionCollection> = { name: "connections", items: (c) => c.connections };
export const POOLS: ManagedResource<PoolCollection> = { name: "pools", items: (c) => c.pools };

export function useManagedList<Collection>(resource: ManagedResource<Collection>, params: { limit: number; offset: number }) {
  return useQuery({
    queryKey: keys.managed(resource.name, params),
    queryFn: ({ signal }) => request<Collection>(`/api/v1/${resource.name}${queryString(params)}`, { signal }),
    placeholderData: keepPreviousData,
    // Pools show occupancy, which moves with every task: poll while the page is open.
    refetchInterval: resource.name === "pools" ? 3000 : false,
  });
}

/** Create (no `id`) or change (PATCH the fields given) one item; delete by id. */
export function useManagedWrites(resource: ManagedResource<unknown>) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: keys.managed(resource.name) });
  const path = (id: string) => `/api/v1/${resource.name}/${encodeURIComponent(id)}`;
  const save = useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: Record<string, unknown> }) =>
      id === null ? request(`/api/v1/${resource.name}`, { method: "POST", body }) : request(path(id), { method: "PATCH", body }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => request(path(id), { method: "DELETE" }),
    onSuccess: refresh,
  });
  return { save, remove };
}

/** Who is logged in, what their role allows, and the account endpoints (login, tokens, audit log). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { queryString, request } from "./client";
import type { ApiTokenCollection, EventLogCollection, Me, NewApiToken, Role } from "./types";

/** Each role may do everything the roles before it may (backend: models/auth.py Role). */
export const ROLES: readonly Role[] = ["viewer", "user", "op", "admin"];

export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: ({ signal }) => request<Me>("/auth/me", { signal }),
    staleTime: 60_000,
  });
}

export interface Permission {
  allowed: boolean;
  /** Why not, for a tooltip on a disabled control. */
  reason: string;
}

/** Whether the caller's role reaches `minimum`; per-DAG edit grants are checked by the server (403). */
export function useAllowed(minimum: Role): Permission {
  const me = useMe().data;
  const allowed = !!me && ROLES.indexOf(me.role) >= ROLES.indexOf(minimum);
  return { allowed, reason: allowed ? "" : `Needs the ${minimum} role${me ? `; you are ${me.role}` : ""}.` };
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => request<Me>("/auth/login", { method: "POST", body }),
    onSuccess: (me) => {
      client.clear(); // nothing cached for the previous caller may show
      client.setQueryData(["me"], me);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<null>("/auth/logout", { method: "POST", body: {} }),
    onSuccess: () => client.clear(),
  });
}

export function useTokens() {
  return useQuery({
    queryKey: ["tokens"],
    queryFn: ({ signal }) => request<ApiTokenCollection>("/api/v1/tokens", { signal }),
  });
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expires_in_days?: number }) => request<NewApiToken>("/api/v1/tokens", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["tokens"] }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => request<null>(`/api/v1/tokens/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["tokens"] }),
  });
}

export interface EventLogParams {
  username?: string;
  event?: string;
  dag_id?: string;
  outcome?: string;
  limit: number;
  offset: number;
}

export function useEventLogs(params: EventLogParams) {
  return useQuery({
    queryKey: ["eventLogs", params],
    queryFn: ({ signal }) => request<EventLogCollection>(`/api/v1/eventLogs${queryString({ ...params })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

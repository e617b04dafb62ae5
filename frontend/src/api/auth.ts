/** Who is logged in, what their role allows, and the account endpoints (login, tokens, audit log). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { queryString, request } from "./client";
import { useDag } from "./hooks";
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

/** Whether the caller may change this DAG (trigger, pause, clear, mark, notes): its role and the
 * DAG's per-DAG grants, as the server reports them in `can_edit`. */
export function useDagEdit(dagId: string): Permission {
  const role = useAllowed("user");
  const dag = useDag(dagId).data;
  return dagEdit(role, dagId, dag?.can_edit);
}

/** The role's answer narrowed by the DAG's `can_edit` (undefined while the DAG loads). */
export function dagEdit(role: Permission, dagId: string, canEdit: boolean | undefined): Permission {
  if (!role.allowed) return role;
  if (canEdit === undefined) return { allowed: false, reason: "Loading your rights on this DAG…" };
  return canEdit ? role : { allowed: false, reason: `You may read ${dagId} but not change it: you have no edit grant on it.` };
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

/** View state lives in the URL so every view is a shareable link; these helpers keep that terse. */
import { useCallback } from "react";
import { useSearchParams } from "react-router";

export type ParamUpdate = Record<string, string | string[] | number | boolean | null | undefined>;

/** Returns the current params and a setter that merges updates (null/""/false removes a key). */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (changes: ParamUpdate, options: { replace?: boolean } = {}) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            next.delete(key);
            if (value === null || value === undefined || value === "" || value === false) continue;
            if (Array.isArray(value)) {
              for (const item of value) next.append(key, item);
            } else {
              next.set(key, String(value));
            }
          }
          return next;
        },
        { replace: options.replace ?? true },
      );
    },
    [setParams],
  );
  return [params, update] as const;
}

export function intParam(params: URLSearchParams, key: string, fallback: number, allowed?: number[]): number {
  const value = Number.parseInt(params.get(key) ?? "", 10);
  if (Number.isNaN(value) || value < 0) return fallback;
  return allowed && !allowed.includes(value) ? fallback : value;
}

/** Server-side paging kept in the URL as limit/offset; defaults are left out so links stay short. */
export function usePaging(sizes: number[] = [25, 50, 100]) {
  const [params, update] = useUrlState();
  return {
    limit: intParam(params, "limit", sizes[0], sizes),
    offset: intParam(params, "offset", 0),
    setPage: (offset: number, limit: number) => update({ offset: offset || null, limit: limit === sizes[0] ? null : limit }),
  };
}

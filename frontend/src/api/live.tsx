/**
 * The live view: one cheap poll of /ui/changes per second replaces per-view refetch timers.
 * Only the queries of the DAGs and kinds that changed are invalidated; with
 * keepPreviousData the views re-render in place, keeping scroll, selection and zoom.
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from "react";
import { keysToInvalidate } from "./changes";
import { request } from "./client";
import type { ChangesResponse, Health } from "./types";

const POLL_MS = 1000;
const RETRY_MS = 5000;
const STORAGE_KEY = "dagkeeper.live";

interface LiveState {
  enabled: boolean;
  setEnabled: (enabled: boolean) => void;
  connected: boolean;
}

const LiveContext = createContext<LiveState>({ enabled: false, setEnabled: () => {}, connected: true });

export function useLive() {
  return useContext(LiveContext);
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [enabled, setEnabledState] = useState(() => localStorage.getItem(STORAGE_KEY) !== "off");
  const [connected, setConnected] = useState(true);
  const started = useRef(false);

  useEffect(() => {
    if (!enabled) return;
    let token: number | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abort = new AbortController();

    const tick = async () => {
      let delay = POLL_MS;
      try {
        if (token === null) {
          // Resuming after a pause: anything may have changed meanwhile.
          token = (await request<Health>("/api/v1/health", { signal: abort.signal, allowNotModified: true }))?.token ?? 0;
          void client.invalidateQueries();
        } else {
          const answer = await request<ChangesResponse | null>(`/ui/changes?since=${token}`, {
            signal: abort.signal,
            allowNotModified: true,
          });
          if (answer) {
            token = answer.token;
            for (const queryKey of keysToInvalidate(answer)) void client.invalidateQueries({ queryKey });
          }
        }
        setConnected(true);
      } catch {
        if (abort.signal.aborted) return;
        setConnected(false);
        delay = RETRY_MS;
      }
      if (!abort.signal.aborted) timer = setTimeout(tick, delay);
    };
    // On first mount the views fetch fresh data themselves; after a pause everything may be stale.
    const start = async () => {
      try {
        token = (await request<Health>("/api/v1/health", { signal: abort.signal, allowNotModified: true }))?.token ?? null;
        if (started.current) void client.invalidateQueries();
      } catch {
        token = null;
      }
      started.current = true;
      if (!abort.signal.aborted) timer = setTimeout(tick, POLL_MS);
    };
    void start();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [enabled, client]);

  const value = useMemo<LiveState>(
    () => ({
      enabled,
      connected,
      setEnabled: (next) => {
        localStorage.setItem(STORAGE_KEY, next ? "on" : "off");
        setEnabledState(next);
      },
    }),
    [enabled, connected],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/**
 * Asks the layout worker for a layout whenever the layout key changes (structure hash, direction,
 * open groups) and keeps showing the previous layout meanwhile. Re-colouring never re-lays out.
 * A layout superseded while still running is abandoned by terminating its worker.
 */
import { useEffect, useRef, useState } from "react";
import type { LayoutResult } from "./graphLayout";
import type { LayoutInput } from "./layoutInput";

export interface LayoutState {
  layout: LayoutResult | null;
  /** The key the shown layout was computed for. */
  layoutFor: string | null;
  pending: boolean;
  error: string | null;
}

type Reply = { result?: LayoutResult; error?: string };

export function useLayout(key: string | null, build: () => LayoutInput | null): LayoutState {
  const worker = useRef<Worker | null>(null);
  const [state, setState] = useState<LayoutState>({ layout: null, layoutFor: null, pending: false, error: null });
  const buildRef = useRef(build);
  buildRef.current = build;

  useEffect(() => () => worker.current?.terminate(), []);

  useEffect(() => {
    const input = key ? buildRef.current() : null;
    if (!input || !key) return;
    if (!worker.current) worker.current = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
    const current = worker.current;
    let done = false;
    setState((previous) => ({ ...previous, pending: true }));
    current.onmessage = (event: MessageEvent<Reply>) => {
      done = true;
      if (event.data.result) setState({ layout: event.data.result, layoutFor: key, pending: false, error: null });
      else setState((previous) => ({ ...previous, pending: false, error: event.data.error ?? "layout failed" }));
    };
    current.postMessage({ input });
    return () => {
      if (done) return;
      current.terminate();
      worker.current = null;
    };
  }, [key]);

  return state;
}

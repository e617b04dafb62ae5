/**
 * Asks the layout worker for a layout whenever the layout key changes (structure hash, direction,
 * open groups) and keeps showing the previous layout meanwhile. Re-colouring never re-lays out.
 * A layout superseded while still running is abandoned by terminating its worker.
 */
import { useEffect, useRef, useState } from "react";
import { span, timed } from "../../lib/perf";
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

const newWorker = () => new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });

let spare: Worker | null = null;

/**
 * Starts a layout worker ahead of need: its script (dagre, d3-dag) then loads and compiles while
 * the view's data is fetched, not after. The next useLayout takes it.
 */
export function warmLayoutWorker(): void {
  spare ??= newWorker();
}

function takeWorker(): Worker {
  const worker = spare ?? newWorker();
  spare = null;
  return worker;
}

export function useLayout(key: string | null, build: () => LayoutInput | null): LayoutState {
  const worker = useRef<Worker | null>(null);
  const [state, setState] = useState<LayoutState>({ layout: null, layoutFor: null, pending: false, error: null });
  const buildRef = useRef(build);
  buildRef.current = build;

  useEffect(() => () => worker.current?.terminate(), []);

  useEffect(() => {
    const input = key ? timed("dk:layout-input", buildRef.current) : null;
    if (!input || !key) return;
    worker.current ??= takeWorker();
    const current = worker.current;
    let done = false;
    const posted = performance.now();
    setState((previous) => ({ ...previous, pending: true }));
    current.onmessage = (event: MessageEvent<Reply>) => {
      done = true;
      span("dk:layout", posted);
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

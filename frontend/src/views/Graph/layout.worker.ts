/// <reference lib="webworker" />
/** Lays graphs out off the main thread so a 2,000-task DAG never freezes the page. */

import { layOutGraph } from "./graphLayout";
import type { LayoutInput } from "./layoutInput";

self.onmessage = (event: MessageEvent<{ input: LayoutInput }>) => {
  const { input } = event.data;
  try {
    self.postMessage({ result: layOutGraph(input) });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};

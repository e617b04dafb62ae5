/**
 * Named spans on the browser's performance timeline ("dk:..."), read by the browser benchmark
 * (bench/browser.py) to say where a page's time goes. A span costs one timeline entry.
 */

/** Records `name` from `start` (performance.now() ms) to now. */
export function span(name: string, start: number): void {
  performance.measure(name, { start, end: performance.now() });
}

/** Runs `work` and records it as span `name`. */
export function timed<T>(name: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    span(name, start);
  }
}

/**
 * Where long-running work reports how long it took: imports and family rebuilds. The app's metrics implement it when
 * metrics are on; the command line and tests pass nothing. A plain interface, so importers do not depend on prom-client.
 */
export interface OperationTimings {
  /** One import of a file (or folder) of this kind ended, well or not, after this many seconds. */
  importFinished(kind: string, outcome: 'succeeded' | 'failed', seconds: number): void;
  /** The families of one model were recomputed and stored in this many seconds. */
  familiesRebuilt(model: string, seconds: number): void;
}

/** Starts timing; the function it returns gives the seconds since. */
export function stopwatch(): () => number {
  const started = performance.now();
  return () => (performance.now() - started) / 1000;
}

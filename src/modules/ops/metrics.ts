import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { OperationTimings } from './timings';

/** Request durations: 5 ms (a cached page) to 10 s (a national CSV export). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Imports and rebuilds: a sample file in under a second to a national file in many minutes. */
const LONG_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/** The label for requests that matched no route, so unknown URLs cannot grow the label set. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Waiting jobs per queue, read when Prometheus scrapes. */
export type QueueDepth = () => Promise<Record<string, number>>;

/**
 * The Prometheus metrics of one app: a registry of its own (tests build many apps in one process, so nothing goes in
 * prom-client's global registry), HTTP request durations by route pattern, import and family-rebuild durations, the
 * job queue's depth and the default process metrics.
 */
export class Metrics implements OperationTimings {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'route' | 'method' | 'status_class'>;
  private readonly importDuration: Histogram<'kind' | 'outcome'>;
  private readonly rebuildDuration: Histogram<'model'>;
  private queueDepth: QueueDepth | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'trellis_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern (never the raw URL), method and status class.',
      labelNames: ['route', 'method', 'status_class'],
      buckets: HTTP_BUCKETS,
      registers: [this.registry],
    });
    this.importDuration = new Histogram({
      name: 'trellis_import_duration_seconds',
      help: 'Time to import one file (or folder of measure files), by kind and outcome.',
      labelNames: ['kind', 'outcome'],
      buckets: LONG_BUCKETS,
      registers: [this.registry],
    });
    this.rebuildDuration = new Histogram({
      name: 'trellis_family_rebuild_duration_seconds',
      help: 'Time to recompute and store the families of one similarity model.',
      labelNames: ['model'],
      buckets: LONG_BUCKETS,
      registers: [this.registry],
    });
    const metrics = this;
    new Gauge({
      name: 'trellis_job_queue_depth',
      help: 'Jobs waiting to run (created or to be retried), by queue; absent when this server runs no job queue.',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        if (!metrics.queueDepth) return;
        for (const [queue, depth] of Object.entries(await metrics.queueDepth())) this.set({ queue }, depth);
      },
    });
  }

  /** The job queue to report on (it starts after the app is built, and not at all with TRELLIS_JOBS=off). */
  watchQueue(depth: QueueDepth): void {
    this.queueDepth = depth;
  }

  /** `route` must be a route pattern such as `/schools/:urn`, or UNMATCHED_ROUTE. */
  requestFinished(route: string, method: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ route, method, status_class: `${Math.floor(statusCode / 100)}xx` }, seconds);
  }

  importFinished(kind: string, outcome: 'succeeded' | 'failed', seconds: number): void {
    this.importDuration.observe({ kind, outcome }, seconds);
  }

  familiesRebuilt(model: string, seconds: number): void {
    this.rebuildDuration.observe({ model }, seconds);
  }
}

/**
 * Whether an Authorization header carries the bearer token. Both sides are hashed first so the comparison takes the
 * same time whatever the lengths, and timingSafeEqual does not leak how much of the token was right.
 */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}

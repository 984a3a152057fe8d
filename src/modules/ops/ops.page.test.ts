import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { testConfig } from '../../config';
import { loadSample } from '../../importers/sample';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database';

/**
 * The operator's side of the app: request ids (header, error pages, every log line of a request) and Prometheus
 * metrics behind a token. One app with metrics on, fed the sample data the way the server loads it (timed).
 */
const TOKEN = 'scrape-me-with-this-token-please';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let db: TestDatabase;
let app: FastifyInstance;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      callback();
    },
  });
  app = await buildApp({ config: testConfig({ LOG_LEVEL: 'info', TRELLIS_METRICS_TOKEN: TOKEN }), database: db, logStream });
  // A handler that fails, as a bug would: the one error handler must answer with a page that names the request.
  app.get('/test/boom', async () => {
    throw new Error('a bug');
  });
  await app.ready();
  await loadSample(db, 'data/sample', () => undefined, app.metrics ?? undefined);
}, 120_000);
afterAll(async () => {
  await app.close();
  await db.close();
});

const scrape = (authorization?: string) => app.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } });

describe('request ids', () => {
  it('sends a fresh request id on every response', async () => {
    const [a, b] = await Promise.all([app.inject('/health'), app.inject('/schools/100025')]);
    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('shows the request id on the error page of a failure, and logs the failure under the same id', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/boom', headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(500);
    const id = response.headers['x-request-id'] as string;
    expect(parse(response.body).querySelector('[data-request-id] strong')?.textContent).toBe(id);
    expect(response.body).not.toContain('a bug');
    const logged = lines.filter((l) => l.reqId === id);
    expect(logged.map((l) => l.msg)).toEqual(['incoming request', 'request failed', 'request completed']);
    expect(JSON.stringify(logged)).toContain('a bug');
  });

  it('shows the request id on a not-found page and in API errors', async () => {
    const page = await app.inject({ method: 'GET', url: '/no/such/page', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(parse(page.body).querySelector('[data-request-id] strong')?.textContent).toBe(page.headers['x-request-id']);
    const api = await app.inject({ method: 'GET', url: '/api/v1/schools/999999' });
    expect(api.statusCode).toBe(404);
    expect(api.json().requestId).toBe(api.headers['x-request-id']);
  });

  it('puts the request id on every log line of a request', async () => {
    const before = lines.length;
    const response = await app.inject('/schools/100025');
    const logged = lines.slice(before);
    expect(logged.length).toBeGreaterThanOrEqual(2);
    for (const line of logged) expect(line.reqId).toBe(response.headers['x-request-id']);
  });
});

describe('GET /metrics with TRELLIS_METRICS_TOKEN set', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer not-the-metrics-token-at-all'],
    ['the token with a character missing', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token as Basic credentials', `Basic ${TOKEN}`],
  ])('refuses %s with 401 and says how to authenticate', async (_case, authorization) => {
    const response = await scrape(authorization);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(response.body).not.toContain('trellis_');
  });

  it('serves Prometheus text to the right token: requests by route pattern, imports, rebuilds, queue depth, process', async () => {
    await app.inject('/schools/100025');
    await app.inject('/schools/100049');
    await app.inject('/no/such/page/at/all');
    app.metrics!.watchQueue(async () => ({ 'network-action-reminders': 2 }));
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    expect(text).toMatch(/^trellis_http_request_duration_seconds_count\{route="\/schools\/:urn",method="GET",status_class="2xx"\} [2-9]\d*$/m);
    expect(text).toMatch(/^trellis_http_request_duration_seconds_count\{route="\(unmatched\)",method="GET",status_class="4xx"\} \d+$/m);
    // Bounded: no label ever holds a raw URL.
    expect(text).not.toContain('100025');
    expect(text).not.toContain('/no/such/page');
    for (const kind of ['gias-groups', 'gias', 'gias-links', 'measures', 'census']) {
      expect(text).toMatch(new RegExp(`^trellis_import_duration_seconds_count\\{kind="${kind}",outcome="succeeded"\\} 1$`, 'm'));
    }
    for (const model of ['dfe-primary', 'dfe-secondary', 'fbit-pupil']) {
      expect(text).toMatch(new RegExp(`^trellis_family_rebuild_duration_seconds_count\\{model="${model}"\\} 1$`, 'm'));
    }
    expect(text).toContain('trellis_job_queue_depth{queue="network-action-reminders"} 2');
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });
});

describe('GET /metrics with no token configured (the default)', () => {
  it('is not found, even with a bearer token', async () => {
    const off = await buildApp({ config: testConfig(), database: db });
    try {
      expect(off.metrics).toBeNull();
      for (const authorization of [undefined, `Bearer ${TOKEN}`]) {
        const response = await off.inject({ method: 'GET', url: '/metrics', headers: { accept: 'text/html', ...(authorization ? { authorization } : {}) } });
        expect(response.statusCode).toBe(404);
        expect(response.body).toContain('Page not found');
        expect(response.body).not.toContain('trellis_');
      }
    } finally {
      await off.close();
    }
  });
});

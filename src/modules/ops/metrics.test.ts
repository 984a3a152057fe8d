import { describe, expect, it } from 'vitest';
import { bearerTokenMatches, Metrics, UNMATCHED_ROUTE } from './metrics';

const TOKEN = 'a-metrics-token-of-some-length';

describe('bearerTokenMatches', () => {
  it.each([
    [`Bearer ${TOKEN}`, true],
    [`bearer ${TOKEN}`, true],
    [`Bearer  ${TOKEN} `, true],
    [undefined, false],
    ['', false],
    ['Bearer', false],
    ['Bearer ', false],
    [TOKEN, false],
    [`Basic ${TOKEN}`, false],
    [`Bearer ${TOKEN}x`, false],
    [`Bearer ${TOKEN.slice(0, -1)}`, false],
    [`Bearer ${TOKEN} ${TOKEN}`, false],
  ])('%s → %s', (header, expected) => expect(bearerTokenMatches(header, TOKEN)).toBe(expected));
});

describe('Metrics', () => {
  it('keeps its own registry, so many apps in one process do not collide', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.requestFinished('/schools/:urn', 'GET', 200, 0.02);
    expect(await a.registry.metrics()).toContain('trellis_http_request_duration_seconds_count{route="/schools/:urn",method="GET",status_class="2xx"} 1');
    expect(await b.registry.metrics()).not.toContain('route="/schools/:urn"');
  });

  it('labels requests by status class and records imports by kind and outcome and rebuilds by model', async () => {
    const sut = new Metrics();
    sut.requestFinished(UNMATCHED_ROUTE, 'GET', 404, 0.001);
    sut.requestFinished('/sign-in', 'POST', 303, 0.2);
    sut.importFinished('gias', 'succeeded', 12);
    sut.importFinished('census', 'failed', 0.3);
    sut.familiesRebuilt('dfe-primary', 4);
    const text = await sut.registry.metrics();
    expect(text).toContain('trellis_http_request_duration_seconds_count{route="(unmatched)",method="GET",status_class="4xx"} 1');
    expect(text).toContain('trellis_http_request_duration_seconds_count{route="/sign-in",method="POST",status_class="3xx"} 1');
    expect(text).toContain('trellis_import_duration_seconds_sum{kind="gias",outcome="succeeded"} 12');
    expect(text).toContain('trellis_import_duration_seconds_count{kind="census",outcome="failed"} 1');
    expect(text).toContain('trellis_family_rebuild_duration_seconds_sum{model="dfe-primary"} 4');
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('reads the job queue depth when scraped, and reports none without a queue', async () => {
    const sut = new Metrics();
    expect(await sut.registry.metrics()).not.toMatch(/^trellis_job_queue_depth\{/m);
    let waiting = 3;
    sut.watchQueue(async () => ({ 'network-action-reminders': waiting }));
    expect(await sut.registry.metrics()).toContain('trellis_job_queue_depth{queue="network-action-reminders"} 3');
    waiting = 0;
    expect(await sut.registry.metrics()).toContain('trellis_job_queue_depth{queue="network-action-reminders"} 0');
  });
});

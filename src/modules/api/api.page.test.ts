import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, getPage, textOf, type TestApp } from '../../../test/helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const json = async (url: string) => {
  const response = await t.app.inject({ url });
  return { status: response.statusCode, body: response.json() as Record<string, any> };
};

describe('JSON API v1', () => {
  it('searches schools with the same rules as the home page', async () => {
    const { status, body } = await json('/api/v1/schools?q=gospel%20ok&phase=Primary');
    expect(status).toBe(200);
    expect(body.total).toBe(1);
    expect(body.schools[0]).toMatchObject({ urn: 100025, laestab: 2022775, name: 'Gospel Oak Primary School', laCode: '202' });
  });

  it('accepts repeated filters', async () => {
    const { body } = await json('/api/v1/schools?la=202&la=203&status=all');
    expect(new Set(body.schools.map((s: { laCode: string }) => s.laCode))).toEqual(new Set(['202', '203']));
  });

  it('returns a school with outcomes against LA and England, missing values with their reason', async () => {
    const { status, body } = await json('/api/v1/schools/100049');
    expect(status).toBe(200);
    expect(body.school).toMatchObject({ urn: 100049, name: 'Haverstock School', laName: 'Camden' });
    const absence = body.outcomes.find((o: { measure: string }) => o.measure === 'absence.overall');
    expect(absence.years.map((y: { yearLabel: string }) => y.yearLabel)).toEqual(['2021/22', '2022/23', '2023/24']);
    const latest = absence.years[2];
    expect(latest.england).toEqual({ value: 8.88916, status: null });
    const ptr = body.outcomes.find((o: { measure: string }) => o.measure === 'workforce.pupil-teacher-ratio');
    expect(ptr.years[0].england).toEqual({ value: null, status: 'Not published' });
  });

  it('returns trusts, local authorities and the measure catalogue', async () => {
    expect((await json('/api/v1/trusts/4335')).body.schools.length).toBeGreaterThan(0);
    const la = await json('/api/v1/local-authorities/202');
    expect(la.body.localAuthority).toMatchObject({ code: '202', name: 'Camden', gssCode: 'E09000007' });
    expect((await json('/api/v1/local-authorities')).body.localAuthorities).toHaveLength(150);
    expect((await json('/api/v1/measures')).body.measures.map((m: { code: string }) => m.code)).toContain('absence.persistent');
  });

  it.each([
    ['/api/v1/schools/abc', 400, 'urn'],
    ['/api/v1/schools?page=0', 400, 'page'],
    ['/api/v1/schools?status=maybe', 400, 'status'],
    ['/api/v1/schools?phase=Sixth', 400, 'phase'],
    ['/api/v1/schools?q=' + 'x'.repeat(101), 400, 'q'],
  ])('%s gives %i naming the field %s', async (url, status, field) => {
    const { status: got, body } = await json(url);
    expect(got).toBe(status);
    expect(body.details.map((d: { field: string }) => d.field.split('.')[0])).toContain(field);
    expect(body.message).toMatch(/not valid/);
  });

  it('gives JSON 404s under /api', async () => {
    expect(await json('/api/v1/schools/999999')).toMatchObject({ status: 404, body: { message: 'There is no school with URN 999999 in Trellis.' } });
    expect((await json('/api/v1/nothing-here')).status).toBe(404);
  });

  it('downloads a search as CSV', async () => {
    const response = await t.app.inject({ url: '/api/v1/schools.csv?la=202&status=all' });
    expect(response.body.trim().split('\n')).toHaveLength(7);
  });
});

describe('health and readiness', () => {
  it('answers /health, and /ready once the database is migrated', async () => {
    expect(await json('/health')).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await json('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.migrations.applied).toBe(ready.body.migrations.expected);
  });
});

describe('API documentation', () => {
  it('serves an OpenAPI 3 document generated from the route schemas', async () => {
    const { status, body } = await json('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/schools', '/api/v1/schools/{urn}', '/api/v1/trusts/{id}', '/api/v1/local-authorities/{code}', '/api/v1/measures']),
    );
    const q = body.paths['/api/v1/schools'].get.parameters.find((p: { name: string }) => p.name === 'q');
    expect(q.description).toMatch(/typo-tolerant/);
  });

  it('renders a readable page of the endpoints', async () => {
    const page = await getPage(t.app, '/api/docs');
    expect(page.status).toBe(200);
    expect(page.html.querySelectorAll('h2').map(textOf)).toContain('GET /api/v1/schools/{urn}');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, getPage, textOf, type TestApp } from '../../../test/helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const json = async (url: string, init: { method?: 'GET' | 'POST'; payload?: unknown } = {}) => {
  const response = await t.app.inject({ url, method: init.method ?? 'GET', ...(init.payload ? { payload: init.payload as object } : {}) });
  return { status: response.statusCode, body: response.json() as Record<string, any> };
};

describe('family page', () => {
  it("shows a secondary school's family under the DfE secondary approximation, labelled so, with reasons", async () => {
    const page = await getPage(t.app, '/schools/100049/family');
    expect(page.status).toBe(200);
    expect(textOf(page.html.querySelector('h2'))).toBe('Approximation of the DfE/Ofsted similar schools model, secondary');
    expect(page.text).toContain('An approximation');
    const rows = page.html.querySelector('table.trellis-family-table')!.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(50);
    expect(textOf(rows[0]!.querySelectorAll('td')[1])).toMatch(/Pupil premium \d+(\.\d)?%/);
    expect(textOf(rows[0]!.querySelectorAll('td')[2])).toMatch(/\.$/);
    expect(page.html.querySelector('figure.trellis-chart svg[role=img]')).not.toBeNull();
    expect(page.html.querySelectorAll('.govuk-breadcrumbs__list-item').map(textOf)).toEqual(['Find a school', 'Haverstock School', 'Family of similar schools']);
  });

  it('says plainly when a school is outside a model, and offers the models it has', async () => {
    const page = await getPage(t.app, '/schools/100049/family?model=dfe-primary');
    expect(page.status).toBe(200);
    expect(page.text).toContain('not in this model');
    expect(page.html.querySelector('a[href="/schools/100049/family?model=dfe-secondary"]')).not.toBeNull();
  });

  it('computes a custom family from weights in the address (shareable), and downloads the family as CSV', async () => {
    const page = await getPage(t.app, '/schools/100049/family?model=custom&w_PPPerc=3&w_NumberOfPupils=1&size=10');
    expect(page.status).toBe(200);
    expect(page.html.querySelector('table.trellis-family-table')!.querySelectorAll('tbody tr')).toHaveLength(10);
    const csv = await t.app.inject({ url: '/schools/100049/family.csv?model=dfe-secondary' });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.trim().split('\n')).toHaveLength(52);
  });

  it.each([
    ['/schools/100049/family?model=spaceship', /Choose a model/],
    ['/schools/100049/family?model=custom', /at least one input a weight above 0/],
    ['/schools/100049/family?model=custom&w_PPPerc=-2', /Weights cannot be negative/],
    ['/schools/100049/family?model=custom&w_PPPerc=lots', /must be a number/],
    ['/schools/100049/family?model=custom&w_PPPerc=11', /10 or less/],
    ['/schools/100049/family?model=custom&w_PPPerc=1&size=1000', /at most 100 schools/],
  ])('%s gives 400 with a clear message', async (url, message) => {
    const page = await getPage(t.app, url);
    expect(page.status).toBe(400);
    expect(page.text).toMatch(message);
  });

  it('gives 404 for an unknown school', async () => {
    expect((await getPage(t.app, '/schools/999999/family')).status).toBe(404);
  });
});

describe('data pack', () => {
  it("puts the school's absence beside its family's median and quartiles, its rank, LA and England, with sources", async () => {
    const page = await getPage(t.app, '/schools/100049/data-pack');
    expect(page.status).toBe(200);
    const section = page.html.querySelectorAll('section').find((s) => textOf(s.querySelector('h3')).startsWith('Overall absence'))!;
    expect(textOf(section.querySelector('h3'))).toContain('2023/24');
    const cells = section.querySelectorAll('tbody')[0]!.querySelectorAll('td').map(textOf);
    expect(cells[0]).toMatch(/^\d+\.\d%$/);
    expect(cells[3]).toMatch(/^\d+(st|nd|rd|th) of \d+/);
    expect(cells[5]).toBe('8.9%');
    expect(textOf(section.querySelector('.trellis-source'))).toContain('pupil absence');
  });

  it("links bright spots to their published case studies on the measure's theme", async () => {
    const { sql } = await import('drizzle-orm');
    // A school whose family includes a school with a demonstration case study on attendance.
    const rows = await t.database.rows<{ urn: number }>(sql`
      select f.urn from families f join case_studies cs on cs.urn = f.member_urn and 'attendance' = any(cs.themes)
      where f.model = 'dfe-secondary' order by f.urn limit 40`);
    let linked = 0;
    for (const { urn } of rows) {
      const page = await getPage(t.app, `/schools/${urn}/data-pack`);
      linked += page.html.querySelectorAll('section li a[href^="/practice/"]').length;
      if (linked) break;
    }
    expect(linked).toBeGreaterThan(0);
  });

  it("shows the LA's and England's disadvantage gap, from the published figures", async () => {
    const page = await getPage(t.app, '/schools/100049/data-pack');
    const gap = page.html.querySelector('section[aria-labelledby="dp-gap"]')!;
    const england = gap.querySelectorAll('tbody tr').find((tr) => textOf(tr.querySelector('th')) === 'England')!;
    // EnglandPerformance.json, National row, 2024/25: disadvantaged 34.9, other pupils 50.4 → gap 15.5.
    expect(england.querySelectorAll('td').map(textOf)).toEqual(['2024/25', '34.9', '50.4', '15.5']);
  });

  it('serves the same figures as JSON, where ranks and medians are consistent', async () => {
    const { status, body } = await json('/api/v1/schools/100049/data-pack');
    expect(status).toBe(200);
    const absence = body.measures.find((m: { measure: string }) => m.measure === 'absence.overall');
    expect(absence.year).toBe(2023);
    expect(absence.familyQ1).toBeLessThanOrEqual(absence.familyMedian);
    expect(absence.familyMedian).toBeLessThanOrEqual(absence.familyQ3);
    expect(absence.rank).toBeGreaterThanOrEqual(1);
    expect(absence.rank).toBeLessThanOrEqual(absence.of);
    for (const spot of absence.brightSpots) {
      expect(spot.value).toBeLessThanOrEqual(absence.familyQ1);
      expect(spot.by).toBeGreaterThan(0.5);
    }
  });
});

describe('families API', () => {
  it('returns the contract: model, urn, members with rank, distance, inputs and contributions', async () => {
    const { status, body } = await json('/api/v1/schools/100049/family?model=dfe-secondary');
    expect(status).toBe(200);
    expect(body.model).toBe('dfe-secondary');
    expect(body.urn).toBe(100049);
    expect(body.members).toHaveLength(50);
    const first = body.members[0];
    expect(first.rank).toBe(1);
    expect(Object.keys(first.inputs)).toContain('KS2MRP');
    const shares = Object.values(first.contributions as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(shares).toBeCloseTo(1, 9);
    expect(new Set(body.members.map((m: { urn: number }) => m.urn)).size).toBe(50);
    expect(body.members.some((m: { urn: number }) => m.urn === 100049)).toBe(false);
  });

  it("lists every school's inputs for a model so anyone can re-check a family", async () => {
    const { body } = await json('/api/v1/models/dfe-primary/inputs');
    expect(body.schools).toHaveLength(93);
    expect(body.inputs.map((i: { name: string }) => i.name)).toContain('Ks1PriorRwmAverage');
  });

  it('computes a custom family by POST, and rejects bad bodies with a clear 400', async () => {
    const ok = await json('/api/v1/families', { method: 'POST', payload: { urn: '100049', inputs: ['PPPerc', 'KS2MRP'], weights: [1, 2], size: 20 } });
    expect(ok.status).toBe(200);
    expect(ok.body.members).toHaveLength(20);
    for (const [payload, field] of [
      [{ urn: '100049', inputs: ['PPPerc'], weights: [-1] }, 'weights'],
      [{ urn: '100049', inputs: ['PPPerc'], weights: [0] }, 'weights'],
      [{ urn: '100049', inputs: ['PPPerc'], weights: ['heavy'] }, 'weights'],
      [{ urn: '100049', inputs: ['Att8Scr'], weights: [1] }, 'inputs'],
      [{ urn: '100049', inputs: Array(11).fill('PPPerc'), weights: Array(11).fill(1) }, 'inputs'],
      [{ urn: 'abc', inputs: ['PPPerc'], weights: [1] }, 'urn'],
    ] as const) {
      const bad = await json('/api/v1/families', { method: 'POST', payload });
      expect(bad.status, JSON.stringify(payload)).toBe(400);
      expect(bad.body.details.map((d: { field: string }) => d.field.split('.')[0])).toContain(field);
    }
    expect((await json('/api/v1/families', { method: 'POST', payload: { urn: '999999', inputs: ['PPPerc'], weights: [1] } })).status).toBe(404);
  });

  it('rejects an unknown model', async () => {
    expect((await json('/api/v1/schools/100049/family?model=nope')).status).toBe(400);
    expect((await json('/api/v1/models/nope/inputs')).status).toBe(400);
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, textOf, type TestApp } from '../../../test/helpers/app';
import { latestEmail, pathOf, TestClient } from '../../../test/helpers/client';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const PASSWORD = 'partnership password long enough';
let n = 0;

async function person(name: string, urn?: string) {
  const email = `${name}.${++n}@partnership.example`;
  const client = new TestClient(t.app, `10.70.${n}.1`);
  await client.submit('/sign-up', '/sign-up', { displayName: name, email, password: PASSWORD });
  await client.get(pathOf((await latestEmail(t.app, email)).links[0]!));
  await client.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
  let organisationId: string | undefined;
  if (urn) {
    expect((await client.submit('/organisations/new', '/organisations', { kind: 'school', urn })).status).toBe(303);
    organisationId = (await t.app.services.accounts.accounts.organisationBySchool(Number(urn)))!.id;
  }
  return { client, email, organisationId: organisationId! };
}

const idFrom = (location: string | undefined) => location!.split('/').pop()!.split('#')[0]!;

// Holte School (Birmingham) leads; its persistent absence in 2021/22, the baseline, is 32.7% in the DfE absence file.
let lead: Awaited<ReturnType<typeof person>>;
let partnershipId: string;

beforeAll(async () => {
  lead = await person('lead', '103509');
  await lead.client.get('/partnerships/new');
  const created = await lead.client.post('/partnerships', { name: 'Aston attendance partnership', purpose: 'Bring pupils back.', type: 'multi-agency', themes: 'attendance', startedOn: '2022-09-05', leadOrganisationId: lead.organisationId, visibility: 'private' });
  expect(created.status).toBe(303);
  partnershipId = idFrom(created.location);
}, 60_000);

describe('a partnership', () => {
  it('adds an independent school and a youth service not yet on Trellis, sets an attendance aim and logs activities', async () => {
    const page = `/partnerships/${partnershipId}`;
    await lead.client.get(page);
    for (const [name, kind, role] of [['Aston independent school', 'independent-school', 'partner'], ['Aston youth service', 'youth-service', 'agency']] as const) {
      expect((await lead.client.post(`${page}/members`, { name, kind, role })).status).toBe(303);
    }
    const members = textOf((await lead.client.get(page)).html.querySelector('#section-members + table'));
    expect(members).toContain('Aston independent school Independent school Partner');
    expect(members).toContain('Aston youth service Youth service Agency');
    expect((await lead.client.post(`${page}/aims`, { urn: '103509', theme: 'attendance', measure: 'absence.persistent', baseline: 'before-start' })).status).toBe(303);
    expect((await lead.client.post(`${page}/activities`, { happenedOn: '2023-03-01', activityKind: 'meeting', participants: 'Heads and youth workers', pupilsReached: '', staffHours: '6' })).status).toBe(303);
    const shown = await lead.client.get(page);
    expect(textOf(shown.html)).toContain('Baseline 2021/22: 32.7% (the year before the partnership began, recorded afterwards)');
    expect(textOf(shown.html.querySelector('#section-activities ~ div table'))).toContain('Heads and youth workers');
  });

  it('computes the impact from the same family and values the school APIs report (checked independently here)', async () => {
    const impact = (await t.app.inject({ method: 'GET', url: `/api/v1/partnerships/${partnershipId}/impact`, headers: { cookie: `trellis_session=${lead.client.cookie('trellis_session')}` } })).json() as {
      members: { urn: number; measure: string; model: string; baselineYear: number; years: { year: number; value: number; change: number; familyMedianChange: number; adjustedChange: number }[]; flags: string[] }[];
    };
    const aim = impact.members.find((m) => m.urn === 103509)!;
    expect(aim.baselineYear).toBe(2021);
    const family = (await t.app.inject({ method: 'GET', url: `/api/v1/schools/103509/family?model=${aim.model}` })).json() as { members: { urn: number }[] };
    const school = (await t.app.inject({ method: 'GET', url: '/api/v1/schools/103509' })).json() as { measures?: unknown };
    expect(school).toBeDefined();
    // Independently: every family member's persistent absence change, then the median, from the stored values.
    const urns = family.members.map((m) => String(m.urn));
    const rows = await t.database.rows<{ code: string; year: number; value: number | null }>(sql`
      select entity_code as code, year::int as year, value from measure_values where entity_type = 'school' and measure = 'absence.persistent' and entity_code = any(${sql.param(urns)}::text[])`);
    for (const y of aim.years) {
      const changes = urns
        .map((u) => [rows.find((r) => r.code === u && r.year === y.year)?.value, rows.find((r) => r.code === u && r.year === 2021)?.value])
        .filter(([a, b]) => a != null && b != null)
        .map(([a, b]) => a! - b!)
        .sort((a, b) => a - b);
      const mid = (changes.length - 1) / 2;
      const median = (changes[Math.floor(mid)]! + changes[Math.ceil(mid)]!) / 2;
      expect(y.familyMedianChange).toBeCloseTo(median, 9);
      const own = rows.length ? await t.database.rows<{ year: number; value: number }>(sql`select year::int as year, value from measure_values where entity_type = 'school' and entity_code = '103509' and measure = 'absence.persistent'`) : [];
      const value = own.find((r) => r.year === y.year)!.value;
      const base = own.find((r) => r.year === 2021)!.value;
      expect(y.change).toBeCloseTo(value - base, 9);
      expect(y.adjustedChange).toBeCloseTo(value - base - median, 9);
    }
  });

  it('refuses bad input with clear messages and writes nothing', async () => {
    const page = `/partnerships/${partnershipId}`;
    await lead.client.get(page);
    const counts = async () => (await t.database.rows<{ a: number; s: number; act: number }>(sql`
      select (select count(*)::int from partnership_aims where partnership_id = ${partnershipId}) as a,
             (select count(*)::int from partnership_stages where partnership_id = ${partnershipId}) as s,
             (select count(*)::int from partnership_activities where partnership_id = ${partnershipId}) as act`))[0];
    const before = await counts();
    const noData = await lead.client.post(`${page}/aims`, { urn: '103509', theme: 'curriculum-teaching', measure: 'ks4.attainment8', baseline: 'latest' });
    expect(noData.status).toBe(400);
    expect(textOf(noData.html.querySelector('.govuk-error-summary'))).toContain('Holte School has no data for attainment 8 score');
    const future = await lead.client.post(`${page}/activities`, { happenedOn: '2099-01-01', activityKind: 'meeting' });
    expect(textOf(future.html.querySelector('.govuk-error-summary'))).toContain('An activity must have happened: the date must be today or in the past');
    expect((await lead.client.post(`${page}/stage`, { stage: 'integration', decidedOn: '2024-01-10', reason: 'A shared team.' })).status).toBe(303);
    const backwards = await lead.client.post(`${page}/stage`, { stage: 'pilot', decidedOn: '2024-06-01', reason: '' });
    expect(backwards.status).toBe(400);
    expect(textOf(backwards.html.querySelector('.govuk-error-summary'))).toContain('Say why the partnership is moving back to pilot');
    expect(backwards.html.querySelector('#decidedOn')!.getAttribute('value')).toBe('2024-06-01');
    const after = await counts();
    expect(after).toEqual({ ...before!, s: before!.s + 1 });
    const history = textOf((await lead.client.get(page)).html.querySelector('#section-stage + table'));
    expect(history).toContain('10 January 2024Pilot → IntegrationA shared team.');
  });

  it('keeps a private partnership out of sight of others: page, directory, CSV and API', async () => {
    const other = await person('other', '136592');
    const anonymous = new TestClient(t.app, '10.70.250.1');
    for (const client of [other.client, anonymous]) {
      expect((await client.get(`/partnerships/${partnershipId}`)).status).toBe(404);
      expect((await client.get(`/partnerships/${partnershipId}/report`)).status).toBe(404);
      expect((await client.get('/partnerships')).body).not.toContain('Aston attendance partnership');
      expect((await client.get('/partnerships.csv')).body).not.toContain('Aston attendance partnership');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/partnerships' })).body).not.toContain('Aston attendance partnership');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/partnerships/${partnershipId}/impact` })).statusCode).toBe(404);
    expect((await lead.client.get('/partnerships')).body).toContain('Aston attendance partnership');
  });
});

describe('a school that changed URN (academy conversion)', () => {
  it('measures E-Act Merchants’ Academy (151302) on its predecessor Merchants’ Academy’s (135597) published absence, and says so', async () => {
    const page = `/partnerships/${partnershipId}`;
    await lead.client.get(page);
    const org = (await t.app.services.accounts.accounts.organisationBySchool(151302)) ?? (await t.app.services.accounts.accounts.createOrganisation({ kind: 'school', name: 'E-Act Merchants’ Academy', urn: 151302, trustUid: null, laCode: null, postcode: null, easting: null, northing: null, createdBy: null as never }));
    expect((await lead.client.post(`${page}/members`, { organisationId: org.id, role: 'partner' })).status).toBe(303);
    expect((await lead.client.post(`${page}/aims`, { urn: '151302', theme: 'attendance', measure: 'absence.persistent', baseline: 'before-start' })).status).toBe(303);
    const impact = (await t.app.inject({ method: 'GET', url: `/api/v1/partnerships/${partnershipId}/impact`, headers: { cookie: `trellis_session=${lead.client.cookie('trellis_session')}` } })).json() as {
      members: { urn: number; baselineYear: number; baselineValue: number; years: { year: number; value: number; change: number }[]; flags: string[] }[];
    };
    const aim = impact.members.find((m) => m.urn === 151302)!;
    // The DfE absence files hold these under the predecessor's URN 135597: 51.30208 (2021/22), 51.68919, 54.06091.
    expect(aim.baselineYear).toBe(2021);
    expect(aim.baselineValue).toBe(51.30208);
    expect(aim.years.map((y) => [y.year, y.value])).toEqual([[2022, 51.68919], [2023, 54.06091]]);
    expect(aim.years[1]!.change).toBeCloseTo(54.06091 - 51.30208, 9);
    expect(aim.flags).toContain('predecessor-data');
  });
});

describe('demonstration partnerships', () => {
  it('ships five partnerships of different types and stages with attendance aims measured from 2021/22', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/partnerships' })).json() as { partnerships: { id: string; type: string; stage: string; demonstration: boolean }[] };
    const demo = list.partnerships.filter((p) => p.demonstration);
    expect(demo.length).toBe(5);
    expect(new Set(demo.map((p) => p.type)).size).toBe(5);
    expect(new Set(demo.map((p) => p.stage))).toEqual(new Set(['pilot', 'alliance', 'integration']));
    for (const p of demo) {
      const impact = (await t.app.inject({ method: 'GET', url: `/api/v1/partnerships/${p.id}/impact` })).json() as { members: { baselineYear: number; measure: string; years: unknown[] }[] };
      expect(impact.members.length).toBeGreaterThan(0);
      for (const m of impact.members) {
        expect(m).toMatchObject({ baselineYear: 2021, measure: 'absence.persistent' });
        expect(m.years.length).toBe(2);
      }
    }
    const page = await new TestClient(t.app).get(`/partnerships/${demo[0]!.id}/report`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Annual impact report');
  });
});

import { sql } from 'drizzle-orm';
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

describe('area pages: every local authority in the sample has one', () => {
  it('each DfE LA number leads to its area page, which answers 200 with the authority’s schools', async () => {
    const las = await t.database.rows<{ code: string; name: string; open: number }>(sql`
      select la_code as code, min(la_name) as name, count(*)::int as open from establishments where status_name like 'Open%' group by la_code order by la_code`);
    expect(las.length).toBe(150);
    for (const la of las) {
      const redirect = await t.app.inject({ url: `/local-authorities/${la.code}` });
      expect(redirect.statusCode, la.name).toBe(301);
      const location = String(redirect.headers.location);
      expect(location).toMatch(/^\/areas\/E0[6-9]\d{6}|^\/areas\/E10\d{6}/);
      const page = await getPage(t.app, location);
      expect(page.status, `${la.name} ${location}`).toBe(200);
      expect(page.html.querySelectorAll('h1')).toHaveLength(1);
    }
  });

  it.each([
    ['/areas/202', '/areas/E09000007'], // DfE LA number → GSS code
    ['/areas/E08000016', '/areas/E08000038'], // Barnsley: the boundary file's older code → GIAS's current one
    ['/areas/E08000019', '/areas/E08000039'], // Sheffield
    ['/areas/H', '/areas/E12000007'], // GIAS region letter → ONS region
    ['/local-authorities', '/areas?level=la'],
    ['/local-authorities/202', '/areas/E09000007'],
  ])('%s redirects permanently to %s', async (from, to) => {
    const response = await t.app.inject({ url: from });
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe(to);
  });

  it.each([
    ['/areas/E99999999', 404],
    ['/areas/999', 404],
    ['/areas/camden', 404],
    ['/areas?level=ward', 400],
    ['/areas/trusts/999999', 404],
    ['/areas/trusts/abc', 400],
  ])('%s → %s', async (url, status) => {
    expect((await getPage(t.app, url)).status).toBe(status);
  });
});

describe('an area page (Camden)', () => {
  it('states need and cover, the rules, the data years, a map with its table, and the schools', async () => {
    const page = await getPage(t.app, '/areas/E09000007');
    expect(page.status).toBe(200);
    expect(textOf(page.html.querySelector('h1'))).toBe('Camden');
    expect(page.text).toContain('January 2023 census (2022/23)');
    expect(page.text).toContain('Absence: 2023/24');
    expect(page.text).toContain('Rule 1 (areas)');
    expect(page.text).toContain('Rule 2 (schools)');
    expect(page.text).toContain('Within 5.5 km of the coast');
    const svg = page.html.querySelector('svg.trellis-choropleth');
    expect(svg?.getAttribute('role')).toBe('img');
    expect(page.html.querySelectorAll('svg.trellis-choropleth path').length).toBeGreaterThan(20); // London's boroughs
    // The schools table: Camden has six open schools in the sample.
    expect(page.html.querySelectorAll('#section-schools ~ table tbody tr').length).toBe(6);
    // The published LA figures against England, as the foundation's LA page had.
    expect(page.html.querySelectorAll('h3').map(textOf)).toContain('Attainment 8 score: all state-funded schools');
  });

  it('works out disadvantaged pupils as published pupils × published percentage (hand-checked from the raw files)', async () => {
    const { body } = await json('/api/v1/areas/E09000007');
    const bySchool = new Map((body.schools as any[]).map((s) => [s.urn, s]));
    // Haverstock School: 878 pupils (GIAS NumberOfPupils) × 72.55892256% pupil premium (DfE similar-schools inputs) = 637.07.
    expect(bySchool.get(100049).disadvantageSource).toBe('pupil-premium');
    expect(bySchool.get(100049).disadvantagedPupils).toBeCloseTo(637.1, 1);
    // Gospel Oak Primary: no pupil-premium figure; 421 pupils × 35.6% FSM (January 2023 census) = 149.876.
    expect(bySchool.get(100025).disadvantageSource).toBe('fsm');
    expect(bySchool.get(100025).disadvantagedPupils).toBeCloseTo(149.9, 1);
  });

  it('answers the API contract', async () => {
    const { status, body } = await json('/api/v1/areas/202');
    expect(status).toBe(200);
    expect(body.code).toBe('E09000007');
    expect(body.name).toBe('Camden');
    expect(body.level).toBe('la');
    expect(typeof body.need).toBe('object');
    expect(Object.keys(body.cover)).toEqual(expect.arrayContaining(['ratio', 'disadvantagedPupils', 'disadvantagedPupilsCovered']));
    expect(typeof body.coldSpot).toBe('boolean');
    expect(body.rules).toHaveLength(2);
    expect(Object.keys(body.schools[0])).toEqual(expect.arrayContaining(['urn', 'disadvantagedPupils', 'activeCollaborations', 'access', 'coldSpot']));
  });

  it('downloads the schools as CSV', async () => {
    const response = await t.app.inject({ url: '/areas/E09000007/schools.csv' });
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = response.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toMatch(/^urn,name,phase,pupils,disadvantage_pct,disadvantage_source,disadvantaged_pupils,active_collaborations/);
    expect(lines).toHaveLength(7);
  });
});

describe('cold spots on first run (demonstration content)', () => {
  it('rule 1 finds at least one local authority and rule 2 at least one school', async () => {
    const { body } = await json('/api/v1/areas?level=la');
    expect(body.areas).toHaveLength(153);
    const cold = (body.areas as any[]).filter((a) => a.coldSpot);
    expect(cold.length).toBeGreaterThan(0);
    const page = await getPage(t.app, `/areas/${cold[0].code}`);
    expect(page.text).toContain('is a cold spot');
    // Each cold spot links to who could help: offers (the demonstration has 20) and bright spots in its schools' families.
    expect(textOf(page.html.querySelector('#section-area-help'))).toBe(`Who could help ${cold[0].name}`);
    expect(page.html.querySelectorAll('#section-area-help ~ ul a[href^="/support/offers/"]').length).toBeGreaterThan(0);
    const schools = (await json(`/api/v1/areas/${cold[0].code}`)).body.schools as any[];
    const all = await Promise.all((body.areas as any[]).filter((a) => a.schoolColdSpots > 0).slice(0, 3).map((a) => json(`/api/v1/areas/${a.code}`)));
    expect(all.flatMap((r) => r.body.schools as any[]).some((s) => s.coldSpot)).toBe(true);
    expect(schools.length).toBeGreaterThan(0);
  });

  it('the list page draws every local authority and names the cold spots, with a table of the same figures', async () => {
    const page = await getPage(t.app, '/areas');
    expect(page.status).toBe(200);
    expect(page.html.querySelectorAll('svg.trellis-choropleth path')).toHaveLength(153);
    expect(page.html.querySelectorAll('table tbody tr')).toHaveLength(153);
    expect(page.text).toContain('Cold spots (rule 1)');
  });

  it('a cold-spot school lists who could help, and leaves the list once it collaborates', async () => {
    const { body } = await json('/api/v1/areas?level=la');
    const area = (body.areas as any[]).find((a) => a.schoolColdSpots > 0);
    const before = (await json(`/api/v1/areas/${area.code}`)).body;
    const school = (before.schools as any[]).find((s) => s.coldSpot);
    const page = await getPage(t.app, `/areas/${area.code}`);
    expect(page.html.querySelector(`#cold-${school.urn}`)).not.toBeNull();
    expect(page.text).toContain('Who could help');

    // The school joins a partnership with an activity this month: an active collaboration.
    const [org] = await t.database.rows<{ id: string }>(sql`
      insert into organisations (kind, name, urn) values ('school', ${school.name}, ${school.urn}) on conflict do nothing returning id`);
    const orgId = org?.id ?? (await t.database.rows<{ id: string }>(sql`select id from organisations where urn = ${school.urn}`))[0]!.id;
    const [p] = await t.database.rows<{ id: string }>(sql`insert into partnerships (name, type, started_on) values ('Test partnership', 'state-state', current_date) returning id`);
    await t.database.rows(sql`insert into partnership_members (partnership_id, organisation_id, role) values (${p!.id}, ${orgId}, 'member')`);
    await t.database.rows(sql`insert into partnership_activities (partnership_id, happened_on, kind, participants) values (${p!.id}, current_date, 'meeting', 'Heads')`);

    const after = (await json(`/api/v1/areas/${area.code}`)).body;
    const now = (after.schools as any[]).find((s) => s.urn === school.urn);
    expect(now.activeCollaborations).toBe(school.activeCollaborations + 1);
    expect(now.coldSpot).toBe(false);
    expect(after.cover.disadvantagedPupilsCovered).toBeGreaterThan(before.cover.disadvantagedPupilsCovered);
  });
});

describe('other levels and trusts', () => {
  it.each([
    ['region', 9],
    ['combined-authority', 15],
    ['district', 296],
  ])('lists every %s', async (level, n) => {
    const { body } = await json(`/api/v1/areas?level=${level}`);
    expect(body.areas).toHaveLength(n);
    expect((await getPage(t.app, `/areas?level=${level}`)).status).toBe(200);
  });

  it('a region page lists its local authorities', async () => {
    const page = await getPage(t.app, '/areas/E12000007');
    expect(page.status).toBe(200);
    expect(textOf(page.html.querySelector('h1'))).toBe('London');
    expect(page.html.querySelector('#section-areas + table a[href="/areas/E09000007"]')).not.toBeNull();
  });

  it('a trust page shows the same figures over its schools, never a rule-1 judgement', async () => {
    const page = await getPage(t.app, '/areas/trusts/4335');
    expect(page.status).toBe(200);
    expect(page.text).toContain('A trust is not a place');
    expect(page.html.querySelector('a[href="/schools/135599"]')).not.toBeNull();
  });
});

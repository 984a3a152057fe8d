import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, getPage, textOf, type TestApp } from '../../../test/helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** Every page: a title, a skip link to the main content, one h1, and the OGL attribution. */
function expectWellFormedPage(page: Awaited<ReturnType<typeof getPage>>, title: RegExp) {
  expect(textOf(page.html.querySelector('title'))).toMatch(title);
  expect(page.html.querySelector('a.govuk-skip-link')?.getAttribute('href')).toBe('#main-content');
  expect(page.html.querySelector('main#main-content')).not.toBeNull();
  expect(page.html.querySelectorAll('h1')).toHaveLength(1);
  expect(textOf(page.html.querySelector('footer'))).toContain('Open Government Licence v3.0');
  expect(page.html.querySelector('html')?.getAttribute('lang')).toBe('en');
}

describe('home page: school search', () => {
  it('shows the search form, with no results before a search', async () => {
    const page = await getPage(t.app, '/');
    expect(page.status).toBe(200);
    expectWellFormedPage(page, /^Find a school – Trellis$/);
    expect(page.html.querySelector('form[role=search]')?.getAttribute('method')).toBe('get');
    expect(page.html.querySelector('#results h2')).toBeNull();
  });

  it.each([
    ['a typo in the name', 'gospel ok primry', 'Gospel Oak Primary School'],
    ['a URN', '100025', 'Gospel Oak Primary School'],
    ['a LAESTAB', '202/2775', 'Gospel Oak Primary School'],
    ['a postcode without its space', 'nw32jb', 'Gospel Oak Primary School'],
    ['a partial name', 'haverstock', 'Haverstock School'],
  ])('finds a school by %s', async (_what, q, name) => {
    const page = await getPage(t.app, `/?q=${encodeURIComponent(q)}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html.querySelector('.trellis-results__item a'))).toBe(name);
  });

  it('filters by phase, local authority and status, and paginates 20 a page', async () => {
    const page = await getPage(t.app, '/?la=202&status=all');
    const count = Number(textOf(page.html.querySelector('#results h2')).replace(/\D/g, ''));
    expect(count).toBe(6);
    const secondary = await getPage(t.app, '/?phase=Secondary&region=H');
    expect(textOf(secondary.html.querySelector('#results h2'))).toMatch(/^\d+ schools$/);
    expect(secondary.html.querySelectorAll('.trellis-results__item')).toHaveLength(20);
    expect(secondary.html.querySelector('.govuk-pagination__next a')?.getAttribute('href')).toBe('/?phase=Secondary&region=H&status=open&page=2');
    for (const meta of secondary.html.querySelectorAll('.trellis-results__meta')) expect(textOf(meta)).toMatch(/^Secondary/);
  });

  it('says so when nothing matches', async () => {
    const page = await getPage(t.app, '/?q=zzzzqqqq');
    expect(textOf(page.html.querySelector('#results h2'))).toBe('No schools match your search');
  });

  it('re-renders with a GOV.UK error summary on bad filters, keeping what was typed', async () => {
    const page = await getPage(t.app, '/?q=oak&phase=Bogus&page=0');
    expect(page.status).toBe(400);
    expect(textOf(page.html.querySelector('title'))).toMatch(/^Error: /);
    const summary = page.html.querySelector('.govuk-error-summary');
    expect(textOf(summary)).toContain('Choose a phase from the list');
    expect(summary?.querySelector('a[href="#phase"]')).not.toBeNull();
    expect(page.html.querySelector('#q')?.getAttribute('value')).toBe('oak');
  });

  it('downloads the search result as CSV', async () => {
    const response = await t.app.inject({ url: '/schools.csv?la=202&status=all' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toMatch(/^URN,LAESTAB,Name,/);
    expect(lines).toHaveLength(7);
    expect(response.body).toContain('100025,2022775,Gospel Oak Primary School');
  });
});

describe('school page', () => {
  it('shows the GIAS details, trust link, location and outcomes with sources and years', async () => {
    const page = await getPage(t.app, '/schools/100049');
    expect(page.status).toBe(200);
    expectWellFormedPage(page, /^Haverstock School – Trellis$/);
    const breadcrumbs = page.html.querySelectorAll('.govuk-breadcrumbs__list-item').map(textOf);
    expect(breadcrumbs).toEqual(['Find a school', 'Camden', 'Haverstock School']);
    const summary = textOf(page.html.querySelector('.govuk-summary-list'));
    expect(summary).toContain('URN 100049');
    expect(summary).toContain('LAESTAB 202/4104');
    expect(page.text).toContain('Latitude 51.5448');
    const headings = page.html.querySelectorAll('h3').map(textOf);
    expect(headings).toContain('Overall absence (% of sessions)');
    expect(headings).toContain('Persistent absence (% of pupils)');
    expect(headings).toContain('Pupils per qualified teacher');
    expect(page.html.querySelectorAll('figure.trellis-chart svg[role=img]').length).toBeGreaterThanOrEqual(3);
    expect(page.text).toContain('Source: DfE pupil absence in schools in England (Explore Education Statistics), 2021/22, 2022/23, 2023/24.');
  });

  it("compares a secondary school's absence with England's published secondary figure (8.9% in 2023/24)", async () => {
    const page = await getPage(t.app, '/schools/100049');
    const table = page.html.querySelectorAll('table').find((tb) => textOf(tb.querySelector('caption')).startsWith('Overall absence by year'));
    const row = table!.querySelectorAll('tbody tr').find((tr) => textOf(tr.querySelector('th')) === '2023/24');
    // England, state-funded secondary, 2023/24: 8.88916% (EnglandAbsence.json, National row).
    expect(textOf(row!.querySelectorAll('td')[2])).toBe('8.9%');
  });

  it('shows missing figures as not published, never as zero', async () => {
    const page = await getPage(t.app, '/schools/100049');
    const ptr = page.html.querySelectorAll('table').find((tb) => textOf(tb.querySelector('caption')).startsWith('Pupil–teacher ratio'));
    const cells = ptr!.querySelectorAll('tbody td').map(textOf);
    expect(cells.slice(1)).toEqual(['Not published', 'Not published']);
  });

  it.each([
    ['/schools/999999', 404, /no school with URN 999999/],
    ['/schools/12ab', 400, /A URN is six digits/],
  ])('%s gives %i with a clear message', async (url, status, message) => {
    const page = await getPage(t.app, url);
    expect(page.status).toBe(status);
    expect(page.text).toMatch(message);
  });
});

describe('trust pages', () => {
  it('lists the schools in a trust with their key figures', async () => {
    const page = await getPage(t.app, '/trusts/4335');
    expect(page.status).toBe(200);
    expectWellFormedPage(page, /CENTRAL REGION SCHOOLS TRUST/i);
    expect(page.html.querySelectorAll('tbody tr a[href^="/schools/"]').length).toBeGreaterThan(0);
    expect(page.html.querySelector('a[href="/schools/135599"]')).not.toBeNull();
  });

  it('gives 404 for an unknown trust or local authority, 400 for a malformed code (local-authority pages are area pages now)', async () => {
    expect((await getPage(t.app, '/trusts/999999999')).status).toBe(404);
    expect((await getPage(t.app, '/local-authorities/999')).status).toBe(404);
    expect((await getPage(t.app, '/local-authorities/camden')).status).toBe(400);
    expect((await getPage(t.app, '/local-authorities/202')).headers.location).toBe('/areas/E09000007');
  });
});

describe('security headers', () => {
  it('sends a strict Content Security Policy: scripts and styles from this site only, no inline script', async () => {
    const page = await getPage(t.app, '/');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.html.querySelectorAll('script').every((s) => s.getAttribute('src')?.startsWith('/assets/'))).toBe(true);
    expect(page.html.querySelectorAll('[style]')).toHaveLength(0);
  });
});

describe('page cache', () => {
  it('serves a repeated public page from memory until the data change', async () => {
    const first = await t.app.inject({ url: '/schools/100025' });
    const second = await t.app.inject({ url: '/schools/100025' });
    expect(first.headers['x-trellis-cache']).toBe('miss');
    expect(second.headers['x-trellis-cache']).toBe('hit');
    expect(second.body).toBe(first.body);
    expect(second.headers['content-security-policy']).toBe(first.headers['content-security-policy']);

    const { importGiasLinks } = await import('../../importers/gias-links.importer');
    await importGiasLinks(t.database, Buffer.from('URN,LinkURN,LinkName,LinkType,LinkEstablishedDate\n100025,100049,Haverstock School,Test link,01/09/2020\n'));
    t.app.pageCache.expireVersion();
    const after = await t.app.inject({ url: '/schools/100025' });
    expect(after.headers['x-trellis-cache']).toBe('miss');
    expect(after.body).toContain('Test link');
  });

  it('never serves a cached page to a reader with a session', async () => {
    await t.app.inject({ url: '/trusts/4335' });
    const withSession = await t.app.inject({ url: '/trusts/4335', headers: { cookie: 'trellis_session=abc' } });
    expect(withSession.headers['x-trellis-cache']).toBeUndefined();
  });
});

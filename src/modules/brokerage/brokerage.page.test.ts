import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, textOf, type TestApp } from '../../../test/helpers/app';
import { latestEmail, pathOf, TestClient } from '../../../test/helpers/client';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const PASSWORD = 'brokerage password long enough';
let n = 0;

/** A verified, signed-in person; with `urn`, the admin of that school's new organisation. */
async function person(name: string, options: { urn?: string; facilitator?: boolean } = {}) {
  const email = `${name}.${++n}@brokerage.example`;
  const client = new TestClient(t.app, `10.60.${n}.1`);
  await client.submit('/sign-up', '/sign-up', { displayName: name, email, password: PASSWORD });
  await client.get(pathOf((await latestEmail(t.app, email)).links[0]!));
  const user = (await t.app.services.accounts.accounts.userByEmail(email))!;
  if (options.facilitator) await t.app.services.accounts.accounts.setPlatformRoles(user.id, { isFacilitator: true });
  await client.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
  let organisationId: string | undefined;
  if (options.urn) {
    expect((await client.submit('/organisations/new', '/organisations', { kind: 'school', urn: options.urn })).status).toBe(303);
    organisationId = (await t.app.services.accounts.accounts.organisationBySchool(Number(options.urn)))!.id;
  }
  return { client, email, organisationId: organisationId!, userId: user.id };
}

const idFrom = (location: string | undefined) => location!.split('/').pop()!.split('#')[0]!;

// Holte School (Birmingham, persistent absence 30.9% in 2023/24) needs help; Arena Academy (25.1%) offers it.
let holte: Awaited<ReturnType<typeof person>>;
let arena: Awaited<ReturnType<typeof person>>;
let needId: string;
let offerId: string;

const NEED = { title: 'Persistent absence in year 9', description: 'We want to see how a school nearby does it.', theme: 'attendance', measures: 'absence.persistent', phase: 'secondary', kinds: ['visit', 'mentoring'], timeFrame: 'This year', urgency: 'high', visibility: 'facilitators' };
const OFFER = { title: 'Attendance visits at Arena', description: 'Visit our attendance team.', themes: 'attendance', kinds: 'visit', phases: 'secondary', capacity: '1', mode: 'in-person', radiusKm: '15', cost: 'free', visibility: 'public' };

beforeAll(async () => {
  holte = await person('holte', { urn: '103509' });
  arena = await person('arena', { urn: '145580' });
}, 60_000);

describe('posting needs and offers', () => {
  it('refuses bad input with clear messages, keeps what was typed and writes nothing', async () => {
    const needsBefore = await t.database.count('needs');
    await holte.client.get('/support/needs/new');
    const wrongMeasure = await holte.client.post('/support/needs', { ...NEED, organisationId: holte.organisationId, measures: 'ks4.attainment8' });
    expect(wrongMeasure.status).toBe(400);
    expect(textOf(wrongMeasure.html.querySelector('.govuk-error-summary'))).toContain('Holte School has no data for attainment 8 score: choose measures from its data pack');
    expect(wrongMeasure.html.querySelector('#title')!.getAttribute('value')).toBe(NEED.title);
    const unknownTheme = await holte.client.post('/support/needs', { ...NEED, organisationId: holte.organisationId, theme: 'astrology' });
    expect(textOf(unknownTheme.html.querySelector('.govuk-error-summary'))).toContain('Choose a theme from the list');
    const noKinds = await holte.client.post('/support/needs', { ...NEED, organisationId: holte.organisationId, kinds: [] });
    expect(textOf(noKinds.html.querySelector('.govuk-error-summary'))).toContain('Choose at least one kind of help');
    expect(await t.database.count('needs')).toBe(needsBefore);

    const offersBefore = await t.database.count('offers');
    await arena.client.get('/support/offers/new');
    const negative = await arena.client.post('/support/offers', { ...OFFER, organisationId: arena.organisationId, capacity: '-1' });
    expect(negative.status).toBe(400);
    expect(textOf(negative.html.querySelector('.govuk-error-summary'))).toContain('Places cannot be below zero');
    const noPhase = await arena.client.post('/support/offers', { ...OFFER, organisationId: arena.organisationId, phases: [] });
    expect(textOf(noPhase.html.querySelector('.govuk-error-summary'))).toContain('Choose at least one phase the offer is for');
    expect(noPhase.html.querySelector('#title')!.getAttribute('value')).toBe(OFFER.title);
    const noRadius = await arena.client.post('/support/offers', { ...OFFER, organisationId: arena.organisationId, radiusKm: '' });
    expect(textOf(noRadius.html.querySelector('.govuk-error-summary'))).toContain('Enter how far you can travel, in kilometres');
    expect(await t.database.count('offers')).toBe(offersBefore);
  });

  it('posts a need (facilitators only by default) and an offer, and ranks the offer for the need with its reasons', async () => {
    await holte.client.get('/support/needs/new');
    const form = holte.client.lastHtml!;
    expect(form.querySelector('input[name=visibility][value=facilitators]')!.hasAttribute('checked')).toBe(true);
    expect(textOf(form)).toContain('Persistent absence (% of pupils): 30.9% (2023/24)');
    const need = await holte.client.post('/support/needs', { ...NEED, organisationId: holte.organisationId });
    expect(need.status).toBe(303);
    needId = idFrom(need.location);
    await arena.client.get('/support/offers/new');
    const offer = await arena.client.post('/support/offers', { ...OFFER, organisationId: arena.organisationId });
    expect(offer.status).toBe(303);
    offerId = idFrom(offer.location);

    const page = await holte.client.get(`/support/needs/${needId}`);
    expect(page.status).toBe(200);
    const row = page.html.querySelectorAll('table.govuk-table tbody tr').find((r) => textOf(r).includes('Attendance visits at Arena'));
    expect(row).toBeDefined();
    // Published figures (DfE absence 2023/24): Arena 25.06438%, Holte 30.92105% → 5.85667 points better, shown to one decimal.
    expect(textOf(row!)).toContain('Persistent absence 5.9 points better (25.1% against 30.9%, 2023/24)');
    expect(textOf(row!)).toMatch(/\d+ km away/);
    expect(textOf(row!)).toContain('1 place left');

    const api = await t.app.inject({ method: 'GET', url: `/api/v1/needs/${needId}/matches`, headers: { cookie: `trellis_session=${holte.client.cookie('trellis_session')}` } });
    expect(api.statusCode).toBe(200);
    const body = api.json() as { matches: { id: string; organisation: string; score: number; parts: Record<string, unknown>; reasons: string[] }[] };
    const match = body.matches.find((m) => m.id === offerId)!;
    expect(match.organisation).toBe('Arena Academy');
    expect(Object.keys(match.parts)).toEqual(expect.arrayContaining(['theme', 'similarity', 'evidence', 'distanceKm', 'capacity']));
    expect(match.score).toBeGreaterThan(0);
    expect(match.score).toBeLessThanOrEqual(1);
    expect(match.reasons.length).toBeGreaterThan(2);
  });

  it('keeps a facilitators-only need invisible to everyone else: pages, lists, API, export and match lists', async () => {
    const anonymous = new TestClient(t.app, '10.60.200.1');
    expect((await anonymous.get(`/support/needs/${needId}`)).status).toBe(404);
    expect((await arena.client.get(`/support/needs/${needId}`)).status).toBe(404);
    expect(textOf((await arena.client.get('/support')).html)).not.toContain(NEED.title);
    expect((await anonymous.get('/support/needs.csv')).body).not.toContain(NEED.title);
    expect((await arena.client.get('/support/needs.csv')).body).not.toContain(NEED.title);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/needs' })).body).not.toContain(NEED.title);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/needs/${needId}/matches` })).statusCode).toBe(404);
    // Arena's own offer page lists the needs it fits: not this one.
    expect(textOf((await arena.client.get(`/support/offers/${offerId}`)).html)).not.toContain(NEED.title);
    // A facilitator sees it, and sees it among the offer's matches.
    const facilitator = await person('facilitator', { facilitator: true });
    expect((await facilitator.client.get(`/support/needs/${needId}`)).status).toBe(200);
    expect(textOf((await facilitator.client.get(`/support/offers/${offerId}`)).html)).toContain(NEED.title);
    expect(textOf((await facilitator.client.get('/support/facilitator')).html)).toContain(NEED.title);
  });
});

describe('introductions and agreed support', () => {
  let introductionId: string;
  let supportId: string;

  it('asks for an introduction; the other side hears of it by inbox and email, with no contact details shown', async () => {
    await holte.client.get(`/support/needs/${needId}`);
    const asked = await holte.client.post('/support/introductions', { needId, offerId, message: 'Could our attendance lead visit?' });
    expect(asked.status).toBe(303);
    introductionId = idFrom(asked.location);
    const again = await holte.client.post('/support/introductions', { needId, offerId, message: 'Again' }, { csrf: holte.client.csrfFor('/support/introductions') });
    expect(again.status).toBe(409);

    const inbox = await arena.client.get('/inbox');
    expect(textOf(inbox.html)).toContain('Holte School asks for an introduction');
    expect(textOf(inbox.html.querySelector('header')!)).toContain('Inbox (1 unread)');
    expect((await latestEmail(t.app, arena.email)).subject).toContain('Holte School asks for an introduction');
    const page = await arena.client.get(`/support/introductions/${introductionId}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(holte.email);
    // Only the two sides (and facilitators) see it.
    const stranger = await person('stranger', { urn: '136592' });
    expect((await stranger.client.get(`/support/introductions/${introductionId}`)).status).toBe(404);
  });

  it('accepting agrees the support with objectives, dates and named contacts; both sides see it; accepting twice is refused', async () => {
    await arena.client.get(`/support/introductions/${introductionId}`);
    const missing = await arena.client.post(`/support/introductions/${introductionId}/accept`, { objective1: '', startsOn: '2027-01-06', endsOn: '2026-12-01' });
    expect(missing.status).toBe(400);
    expect(textOf(missing.html.querySelector('.govuk-error-summary'))).toContain('Write at least one objective');
    expect(await t.database.count('supports')).toBe(1); // the demonstration support only
    const accepted = await arena.client.post(`/support/introductions/${introductionId}/accept`, { objective1: 'Halve persistent absence in year 9', objective1Measure: 'absence.persistent', startsOn: '2027-01-06', endsOn: '2027-07-16' });
    expect(accepted.status).toBe(303);
    supportId = idFrom(accepted.location);
    for (const side of [holte, arena]) {
      const page = await side.client.get(`/support/agreements/${supportId}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain(holte.email);
      expect(page.body).toContain(arena.email);
      expect(textOf(page.html)).toContain('Halve persistent absence in year 9 (Persistent absence (% of pupils))');
    }
    expect((await latestEmail(t.app, holte.email)).subject).toContain('Support agreed');
    const [offer] = await t.database.rows<{ taken: number }>(sql`select places_taken as taken from offers where id = ${offerId}`);
    expect(offer!.taken).toBe(1);
    await arena.client.get(`/support/introductions/${introductionId}`);
    const twice = await arena.client.post(`/support/introductions/${introductionId}/accept`, { objective1: 'Again', startsOn: '2027-01-06', endsOn: '2027-07-16' }, { csrf: arena.client.csrfFor(`/support/agreements/${supportId}/reviews`) });
    expect(twice.status).toBe(409);
  });

  it('records a termly review, closes with a reflection (the place comes back) and starts a case-study draft', async () => {
    await holte.client.get(`/support/agreements/${supportId}`);
    const bad = await holte.client.post(`/support/agreements/${supportId}/reviews`, { term: '', rating: 'purple' });
    expect(bad.status).toBe(400);
    expect(textOf(bad.html.querySelector('.govuk-error-summary'))).toContain('Choose green, amber or red');
    const review = await holte.client.post(`/support/agreements/${supportId}/reviews`, { term: 'Spring 2027', rating: 'green', notes: 'Two visits done.' });
    expect(review.status).toBe(303);
    expect(textOf((await arena.client.get(`/support/agreements/${supportId}`)).html)).toContain('Spring 2027 Green: on track');
    const closed = await holte.client.post(`/support/agreements/${supportId}/close`, { reflection: 'First-day calls made the difference.' });
    expect(closed.status).toBe(303);
    const [offer] = await t.database.rows<{ taken: number }>(sql`select places_taken as taken from offers where id = ${offerId}`);
    expect(offer!.taken).toBe(0);
    await holte.client.get(`/support/agreements/${supportId}`);
    const draft = await holte.client.post(`/support/agreements/${supportId}/case-study`, {});
    expect(draft.status).toBe(303);
    expect(draft.location).toMatch(/^\/practice\/[0-9a-f-]+\/edit$/);
  });

  it('of two concurrent accepts for the last place exactly one wins, and nothing is half-written', async () => {
    const giver = await person('giver', { urn: '136908' }); // Fairfax
    await giver.client.get('/support/offers/new');
    const offer = idFrom((await giver.client.post('/support/offers', { ...OFFER, title: 'One place only', organisationId: giver.organisationId })).location);
    const askers = [holte, await person('stockland', { urn: '138137' })];
    const intros: string[] = [];
    for (const asker of askers) {
      await asker.client.get('/support/needs/new');
      const need = idFrom((await asker.client.post('/support/needs', { ...NEED, title: `Need of ${asker.email}`, organisationId: asker.organisationId, visibility: 'members' })).location);
      await asker.client.get(`/support/needs/${need}`);
      intros.push(idFrom((await asker.client.post('/support/introductions', { needId: need, offerId: offer, message: 'Please' })).location));
    }
    const supportsBefore = await t.database.count('supports');
    await giver.client.get(`/support/introductions/${intros[0]}`);
    const csrf = giver.client.csrfFor(`/support/introductions/${intros[0]}/accept`);
    const results = await Promise.all(intros.map((id) => giver.client.post(`/support/introductions/${id}/accept`, { objective1: 'Visit', startsOn: '2027-01-06', endsOn: '2027-03-01' }, { csrf })));
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(textOf(results.find((r) => r.status === 409)!.html)).toContain('no places left');
    expect(await t.database.count('supports')).toBe(supportsBefore + 1);
    const [row] = await t.database.rows<{ taken: number; accepted: number }>(sql`
      select f.places_taken as taken, (select count(*)::int from introductions i where i.offer_id = f.id and i.status = 'accepted') as accepted from offers f where f.id = ${offer}`);
    expect(row).toEqual({ taken: 1, accepted: 1 });
  });
});

describe('facilitators’ proposals, closed needs and impossible dates', () => {
  it('a facilitator proposes: the offering side is asked; on acceptance the need’s poster is its named contact', async () => {
    const plant = await person('plant', { urn: '137053' });
    await plant.client.get('/support/offers/new');
    const offer = idFrom((await plant.client.post('/support/offers', { ...OFFER, title: 'Plantsbrook visits', organisationId: plant.organisationId, capacity: '3' })).location);
    await holte.client.get('/support/needs/new');
    const need = idFrom((await holte.client.post('/support/needs', { ...NEED, title: 'Proposed need', organisationId: holte.organisationId })).location);
    const fran = await person('fran', { facilitator: true });
    await fran.client.get(`/support/needs/${need}`);
    const proposed = await fran.client.post('/support/introductions', { needId: need, offerId: offer, message: 'You two should talk.' });
    expect(proposed.status).toBe(303);
    const intro = idFrom(proposed.location);
    expect(textOf((await plant.client.get('/inbox')).html)).toContain('A Trellis facilitator asks for an introduction');
    expect(textOf((await holte.client.get('/inbox')).html)).toContain('A facilitator has proposed Plantsbrook School');
    expect((await holte.client.get(`/support/introductions/${intro}`)).html.querySelector('form[action$="/accept"]')).toBeNull();
    await plant.client.get(`/support/introductions/${intro}`);
    const accepted = await plant.client.post(`/support/introductions/${intro}/accept`, { objective1: 'Two visits', startsOn: '2027-01-06', endsOn: '2027-03-01' });
    expect(accepted.status).toBe(303);
    const page = await holte.client.get(accepted.location!);
    expect(page.body).toContain(holte.email);
    expect(page.body).toContain(plant.email);
  });

  it('refuses to agree support once the need has closed, and refuses impossible dates, writing nothing', async () => {
    const bishop = await person('bishop', { urn: '140524' });
    await bishop.client.get('/support/offers/new');
    const offer = idFrom((await bishop.client.post('/support/offers', { ...OFFER, title: 'Bishop Walsh visits', organisationId: bishop.organisationId, capacity: '3' })).location);
    await holte.client.get('/support/needs/new');
    const need = idFrom((await holte.client.post('/support/needs', { ...NEED, title: 'Soon closed need', organisationId: holte.organisationId, visibility: 'members' })).location);
    await holte.client.get(`/support/needs/${need}`);
    const intro = idFrom((await holte.client.post('/support/introductions', { needId: need, offerId: offer, message: 'Please' })).location);
    const supports = await t.database.count('supports');
    await bishop.client.get(`/support/introductions/${intro}`);
    const impossible = await bishop.client.post(`/support/introductions/${intro}/accept`, { objective1: 'Visit', startsOn: '2027-02-29', endsOn: '2027-03-31' });
    expect(impossible.status).toBe(400);
    expect(textOf(impossible.html.querySelector('.govuk-error-summary'))).toContain('The start date must be a real date');
    await holte.client.get(`/support/needs/${need}`);
    expect((await holte.client.post(`/support/needs/${need}/close`, {})).status).toBe(303);
    await bishop.client.get(`/support/introductions/${intro}`);
    const refused = await bishop.client.post(`/support/introductions/${intro}/accept`, { objective1: 'Visit', startsOn: '2027-02-01', endsOn: '2027-03-31' });
    expect(refused.status).toBe(409);
    expect(textOf(refused.html)).toContain('The need or the offer has been closed since this introduction was asked for');
    expect(await t.database.count('supports')).toBe(supports);
    const [row] = await t.database.rows<{ taken: number; status: string }>(sql`
      select f.places_taken as taken, (select status from introductions where id = ${intro}) as status from offers f where f.id = ${offer}`);
    expect(row).toEqual({ taken: 0, status: 'requested' });
  });
});

describe('organisation names are text, never markup', () => {
  it('shows an organisation named like a link as text on the agreed support page', async () => {
    const named = await person('named');
    const evil = '<a id="pwn" href="https://evil.example/">Sign in again</a>';
    await named.client.submit('/organisations/new', '/organisations', { kind: 'charity', name: evil });
    const orgId = (await t.database.rows<{ id: string }>(sql`select id from organisations where name = ${evil}`))[0]!.id;
    const repo = t.app.services.brokerage.repo;
    const need = await repo.createNeed({ organisationId: orgId, createdBy: named.userId, title: 'Help', description: '', theme: 'attendance', measures: [], phase: 'secondary', kinds: ['visit'], timeFrame: '', urgency: 'low', visibility: 'public', visibleTo: [], demonstration: false });
    const offer = await repo.createOffer({ organisationId: arena.organisationId, createdBy: arena.userId, title: 'Visits', description: '', themes: ['attendance'], kinds: ['visit'], phases: ['secondary'], capacity: 5, mode: 'remote', radiusKm: null, cost: 'free', visibility: 'public', demonstration: false });
    const intro = (await repo.createIntroduction({ needId: need, offerId: offer, requestedBy: 'need', requestedByUser: named.userId, message: 'Hello' }))!;
    const result = await repo.accept({ introductionId: intro, userId: arena.userId, objectives: [{ text: 'Visit', measure: null }], startsOn: '2027-01-06', endsOn: '2027-03-01', contacts: [{ side: 'need', userId: named.userId, name: 'Named', email: named.email }] });
    const page = await named.client.get(`/support/agreements/${(result as { supportId: string }).supportId}`);
    expect(page.status).toBe(200);
    expect(page.html.querySelector('#pwn')).toBeNull();
    expect(page.body).toContain('&lt;a id=&quot;pwn&quot;');
  });
});

describe('changing needs and offers', () => {
  it('changes a need (here to public, so the open API lists it) and refuses a capacity below the places taken', async () => {
    await holte.client.get(`/support/needs/${needId}/edit`);
    expect(holte.client.lastHtml!.querySelector('#title')!.getAttribute('value')).toBe(NEED.title);
    const changed = await holte.client.post(`/support/needs/${needId}`, { ...NEED, title: 'Persistent absence in years 9 and 10', visibility: 'public' });
    expect(changed.status).toBe(303);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/needs' })).body).toContain('Persistent absence in years 9 and 10');
    const [taken] = await t.database.rows<{ id: string; organisation: string }>(sql`
      select f.id, f.organisation_id as organisation from offers f where f.places_taken > 0 and f.title = 'One place only'`);
    const giverSession = (await t.database.rows<{ email: string }>(sql`select u.email from users u join memberships m on m.user_id = u.id where m.organisation_id = ${taken!.organisation}`))[0]!.email;
    expect(giverSession).toContain('giver');
    const giver = new TestClient(t.app, '10.60.201.1');
    await giver.submit('/sign-in', '/sign-in', { email: giverSession, password: PASSWORD });
    await giver.get(`/support/offers/${taken!.id}/edit`);
    const refused = await giver.post(`/support/offers/${taken!.id}`, { ...OFFER, title: 'No places now', capacity: '0' });
    expect(refused.status).toBe(400);
    expect(textOf(refused.html.querySelector('.govuk-error-summary'))).toContain('1 place is taken by agreed supports: the number of places cannot be below that');
    const [after] = await t.database.rows<{ title: string; capacity: number }>(sql`select title, capacity from offers where id = ${taken!.id}`);
    expect(after).toEqual({ title: 'One place only', capacity: 1 });
  });
});

describe('demonstration content and the open API', () => {
  it('ships at least 15 needs and 15 offers among sample schools, the council and two agencies, some public', async () => {
    const [row] = await t.database.rows<{ needs: number; offers: number; kinds: string[]; publicNeeds: number; publicOffers: number }>(sql`
      select (select count(*)::int from needs where demonstration) as needs,
             (select count(*)::int from offers where demonstration) as offers,
             (select array_agg(distinct o.kind order by o.kind) from offers f join organisations o on o.id = f.organisation_id where f.demonstration) as kinds,
             (select count(*)::int from needs where demonstration and visibility = 'public') as "publicNeeds",
             (select count(*)::int from offers where demonstration and visibility = 'public') as "publicOffers"`);
    expect(row!.needs).toBeGreaterThanOrEqual(15);
    expect(row!.offers).toBeGreaterThanOrEqual(15);
    expect(row!.kinds).toEqual(['health', 'independent-school', 'local-authority', 'school', 'youth-service']);
    expect(row!.publicNeeds).toBeGreaterThan(0);
    const needs = (await t.app.inject({ method: 'GET', url: '/api/v1/needs' })).json() as { needs: { visibility: string; demonstration: boolean }[] };
    expect(needs.needs.filter((x) => x.demonstration).length).toBe(row!.publicNeeds);
    expect(new Set(needs.needs.map((x) => x.visibility))).toEqual(new Set(['public']));
    const offers = (await t.app.inject({ method: 'GET', url: '/api/v1/offers?theme=attendance' })).json() as { offers: { themes: string[]; visibility: string }[] };
    expect(offers.offers.every((o) => o.themes.includes('attendance') && o.visibility === 'public')).toBe(true);
    const page = await new TestClient(t.app).get('/support');
    expect(page.status).toBe(200);
    expect(page.html.querySelector('.govuk-tag--yellow')?.textContent).toBe('Demonstration');
  });
});

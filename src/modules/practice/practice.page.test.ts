import { seedCaseStudies } from '../../../bench/practice';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, textOf, type TestApp } from '../../../test/helpers/app';
import { latestEmail, pathOf, TestClient } from '../../../test/helpers/client';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const PASSWORD = 'practice password long enough';
let n = 0;

async function person(name: string, roles: { facilitator?: boolean } = {}) {
  const email = `${name}.${++n}@practice.example`;
  const client = new TestClient(t.app, `10.50.${n}.1`);
  await client.submit('/sign-up', '/sign-up', { displayName: name, email, password: PASSWORD });
  await client.get(pathOf((await latestEmail(t.app, email)).links[0]!));
  if (roles.facilitator) {
    const user = (await t.app.services.accounts.accounts.userByEmail(email))!;
    await t.app.services.accounts.accounts.setPlatformRoles(user.id, { isFacilitator: true });
  }
  await client.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
  return { client, email };
}

const STUDY = {
  title: 'Morning calls that brought pupils back',
  summary: 'A daily first-day response, with the school nurse and a youth worker, halved persistent absence in two years.',
  challenge: 'Persistent absence had doubled since 2020.',
  approach: 'We telephoned every absent family before 9.30 and visited on the third day. <script>alert("x")</script> The attendance officer **coordinated** meetings with trained befrienders.',
  impact: 'Fewer pupils missed a tenth of their lessons.',
  applicability: 'Any school with an attendance lead can start the calls; the visits need a partner.',
  partners: 'School nurse; youth service.',
  themes: 'attendance',
  phases: 'secondary',
  impactMeasures: 'absence.persistent',
  visibility: 'public',
  contactPreference: 'introductions',
};

describe('demonstration content', () => {
  it('ships 30 published case studies for real sample schools, marked as demonstration, findable by search', async () => {
    const [row] = await t.database.rows<{ n: number; demo: number }>(sql`select count(*)::int as n, count(*) filter (where demonstration)::int as demo from case_studies where status = 'published'`);
    expect(row!.demo).toBeGreaterThanOrEqual(30);
    const page = await new TestClient(t.app).get('/practice?q=attendance');
    expect(Number(textOf(page.html.querySelector('#results h2')).replace(/\D/g, ''))).toBeGreaterThan(5);
    expect(page.html.querySelector('.govuk-tag--yellow')?.textContent).toBe('Demonstration');
  });
});

describe('the case-study workflow', () => {
  it('draft → submit → returned with a comment → revised → published → found by a stemmed body word → learn more → the author sees it', async () => {
    const { client: author } = await person('author');
    const created = await author.submit('/organisations/new', '/organisations', { kind: 'school', urn: '100049' });
    expect(created.status).toBe(303);

    await author.get('/practice/new');
    const draft = await author.post('/practice', { ...STUDY, organisationId: author.lastHtml!.querySelector('#organisationId option')!.getAttribute('value')! });
    expect(draft.status).toBe(303);
    const studyPath = draft.location!;
    const page = await author.get(studyPath);
    expect(textOf(page.html.querySelector('h1'))).toBe(STUDY.title);
    expect(page.html.querySelectorAll('.govuk-task-list__item').length).toBe(7);
    // The school's context comes from its data, not retyped.
    expect(textOf(page.html.querySelector('.govuk-summary-list'))).toContain('Secondary');
    // Script tags never reach the page; formatting does.
    expect(page.html.querySelectorAll('main script')).toHaveLength(0);
    expect(page.body).not.toContain('alert("x")</script>');
    expect(page.html.querySelector('main strong:not(.govuk-tag)')?.textContent).toBe('coordinated');
    // Persistent absence figures from the data, with their years.
    expect(page.body).toContain('Persistent absence (% of pupils)');

    // Not findable while a draft.
    const anonymous = new TestClient(t.app, '10.51.0.1');
    expect((await anonymous.get(studyPath)).status).toBe(404);

    await author.post(`${studyPath}/submit`, {});
    const { client: facilitator } = await person('facilitator', { facilitator: true });
    await facilitator.get(studyPath);
    const returned = await facilitator.post(`${studyPath}/return`, { comment: 'Say how many staff hours the calls took.' });
    expect(returned.status).toBe(303);
    const studyId = studyPath.split('/').pop()!;
    const [row] = await t.database.rows<{ email: string }>(sql`select u.email from case_studies cs join users u on u.id = cs.author_id where cs.id = ${studyId}`);
    expect((await latestEmail(t.app, row!.email)).subject).toContain('has comments');

    const revised = await author.get(`${studyPath}/edit`);
    expect(revised.status).toBe(200);
    // The context from the data is in the form, editable.
    expect(revised.html.querySelector('#context_phase')?.getAttribute('value')).toBe('Secondary');
    await author.post(studyPath, { ...STUDY, context_phase: 'Secondary (11–16, with a sixth form from 2026)', approach: `${STUDY.approach} The calls took about six staff hours a week.` });
    expect((await author.get(studyPath)).body).toContain('Secondary (11–16, with a sixth form from 2026)');
    const back = await author.get(studyPath);
    expect(textOf(back.html.querySelector('.govuk-notification-banner'))).toContain('Say how many staff hours');
    await author.post(`${studyPath}/submit`, {});
    await facilitator.get(studyPath);
    expect((await facilitator.post(`${studyPath}/publish`, {})).status).toBe(303);

    // "befriending" appears nowhere; "befrienders" only in the body: stemming finds it.
    const { client: reader } = await person('reader');
    // As the form sends it: every filter present, most of them empty.
    const results = await reader.get('/practice?q=befriending&theme=&phase=&region=&kind=&year=&order=relevance');
    expect(textOf(results.html.querySelector('#results h2'))).toBe('1 case study');
    expect(results.html.querySelector('#results mark')).not.toBeNull();

    await reader.get(studyPath);
    const asked = await reader.post(`${studyPath}/learn-more`, { message: 'How did you fund the youth worker?' });
    expect(textOf(asked.html.querySelector('h1'))).toBe('Request sent');
    const requests = await author.get('/practice/requests');
    expect(requests.body).toContain('How did you fund the youth worker?');
    expect(requests.body).not.toContain('@practice.example');
    const replyAction = requests.html.querySelector('form[action$="/reply"]')!.getAttribute('action')!;
    expect((await author.post(replyAction, { reply: 'From our pupil premium budget; happy to share the job description.' })).status).toBe(303);
    const seen = await reader.get('/practice/requests');
    expect(seen.body).toContain('From our pupil premium budget');
    expect((await author.post(replyAction, { reply: 'Again' })).status).toBe(404);
  });

  it('keeps members-only studies out of anonymous pages, search, feed, API and export', async () => {
    const { client: author } = await person('restricted');
    await author.submit('/organisations/new', '/organisations', { kind: 'charity', name: 'Quiet Charity' });
    await author.get('/practice/new');
    const draft = await author.post('/practice', { ...STUDY, title: 'Members only mentoring zebra', visibility: 'members', organisationId: author.lastHtml!.querySelector('#organisationId option')!.getAttribute('value')! });
    const path = draft.location!;
    await author.post(`${path}/submit`, {});
    const { client: facilitator } = await person('facilitator2', { facilitator: true });
    await facilitator.get(path);
    await facilitator.post(`${path}/publish`, {});

    const anonymous = new TestClient(t.app, '10.52.0.1');
    expect((await anonymous.get(path)).status).toBe(404);
    expect((await anonymous.get('/practice?q=zebra')).body).not.toContain('Members only mentoring zebra');
    expect((await anonymous.get('/practice/feed.atom')).body).not.toContain('zebra');
    expect((await anonymous.get('/practice/export.csv')).body).not.toContain('zebra');
    expect((await anonymous.get('/practice/export.json')).body).not.toContain('zebra');
    expect((await t.app.inject({ url: '/api/v1/case-studies?q=zebra' })).json().total).toBe(0);

    const { client: member } = await person('member');
    expect((await member.get(path)).status).toBe(200);
    expect((await member.get('/practice?q=zebra')).body).toContain('Members only mentoring zebra');
  });

  it('re-renders the form, filled in, on bad input: unknown theme, oversized summary, no title', async () => {
    const { client } = await person('careless');
    await client.submit('/organisations/new', '/organisations', { kind: 'charity', name: 'Careless Charity' });
    await client.get('/practice/new');
    const organisationId = client.lastHtml!.querySelector('#organisationId option')!.getAttribute('value')!;
    const bad = await client.post('/practice', { ...STUDY, organisationId, title: '', themes: 'astrology', summary: 'word '.repeat(61) });
    expect(bad.status).toBe(400);
    const summary = textOf(bad.html.querySelector('.govuk-error-summary'));
    expect(summary).toContain('Enter a title');
    expect(summary).toContain('60 words or fewer');
    expect(summary).toContain('Choose themes from the list');
    expect(bad.html.querySelector('#challenge')?.textContent).toBe(STUDY.challenge);
  });

  it('adds a colleague from the same organisation as co-author, who can then edit; refuses an outsider', async () => {
    const { client: author } = await person('lead');
    const created = await author.submit('/organisations/new', '/organisations', { kind: 'charity', name: 'Co-writing Charity' });
    const { client: colleague, email: colleagueEmail } = await person('colleague');
    await author.get(created.location!);
    await author.post(`${created.location!}/invitations`, { email: colleagueEmail, role: 'member' });
    await colleague.get(pathOf((await latestEmail(t.app, colleagueEmail)).links[0]!));
    await colleague.post(pathOf((await latestEmail(t.app, colleagueEmail)).links[0]!), {});
    await author.get('/practice/new');
    const draft = await author.post('/practice', { ...STUDY, organisationId: author.lastHtml!.querySelector('#organisationId option')!.getAttribute('value')! });
    const path = draft.location!;
    expect((await colleague.get(`${path}/edit`)).status).toBe(404);
    await author.get(path);
    expect((await author.post(`${path}/co-authors`, { coAuthorEmail: colleagueEmail })).status).toBe(303);
    expect((await colleague.get(`${path}/edit`)).status).toBe(200);
    const { email: outsider } = await person('outsider');
    await author.get(path);
    const refused = await author.post(`${path}/co-authors`, { coAuthorEmail: outsider });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('is not a member of Co-writing Charity or of an organisation it works with through Trellis');
  });

  it('adds a co-author from a partner organisation: one that has agreed support with the study’s organisation', async () => {
    const { client: author } = await person('partnered');
    await author.submit('/organisations/new', '/organisations', { kind: 'charity', name: 'Partnered Charity' });
    const { client: partner, email: partnerEmail } = await person('partner');
    await partner.submit('/organisations/new', '/organisations', { kind: 'youth-service', name: 'Partner Youth Service' });
    const accounts = t.app.services.accounts.accounts;
    const orgOf = async (name: string) => (await t.database.rows<{ id: string }>(sql`select id from organisations where name = ${name}`))[0]!.id;
    await author.get('/practice/new');
    const path = (await author.post('/practice', { ...STUDY, organisationId: await orgOf('Partnered Charity') })).location!;
    await author.get(path);
    expect((await author.post(`${path}/co-authors`, { coAuthorEmail: partnerEmail })).status).toBe(400); // not yet partners
    // The two agree a support through brokerage: now they are partner organisations.
    const brokerage = t.app.services.brokerage.repo;
    const lead = (await accounts.userByEmail(partnerEmail))!;
    const need = await brokerage.createNeed({ organisationId: await orgOf('Partnered Charity'), createdBy: null, title: 'Youth work', description: '', theme: 'attendance', measures: [], phase: 'secondary', kinds: ['mentoring'], timeFrame: '', urgency: 'low', visibility: 'facilitators', visibleTo: [], demonstration: false });
    const offer = await brokerage.createOffer({ organisationId: await orgOf('Partner Youth Service'), createdBy: lead.id, title: 'Mentoring', description: '', themes: ['attendance'], kinds: ['mentoring'], phases: ['secondary'], capacity: 1, mode: 'remote', radiusKm: null, cost: 'free', visibility: 'public', demonstration: false });
    const intro = (await brokerage.createIntroduction({ needId: need, offerId: offer, requestedBy: 'need', requestedByUser: null, message: 'Hello' }))!;
    await brokerage.accept({ introductionId: intro, userId: lead.id, objectives: [{ text: 'Mentor six pupils', measure: null }], startsOn: '2027-01-01', endsOn: '2027-04-01', contacts: [] });
    await author.get(path);
    expect((await author.post(`${path}/co-authors`, { coAuthorEmail: partnerEmail })).status).toBe(303);
    expect((await partner.get(`${path}/edit`)).status).toBe(200);
  });

  it('a facilitator drafts a study on a leader’s behalf from a conversation: the leader is the author and submits it', async () => {
    const { client: leader, email: leaderEmail } = await person('leader');
    await leader.submit('/organisations/new', '/organisations', { kind: 'charity', name: 'Drafted-for Charity' });
    const { client: fiona } = await person('fiona', { facilitator: true });
    await fiona.get('/practice/new');
    const unknown = await fiona.post('/practice', { ...STUDY, onBehalfOfEmail: 'nobody@practice.example' });
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.html.querySelector('.govuk-error-summary'))).toContain('nobody@practice.example is not a member of an organisation on Trellis');
    const drafted = await fiona.post('/practice', { ...STUDY, title: 'Drafted from a visit', onBehalfOfEmail: leaderEmail });
    expect(drafted.status).toBe(303);
    expect((await latestEmail(t.app, leaderEmail)).subject).toBe('A case study draft for you to check: Drafted from a visit');
    expect((await fiona.get(`${drafted.location!}/edit`)).status).not.toBe(200);
    const page = await leader.get(drafted.location!);
    expect(textOf(page.html)).toContain('Drafted with fiona (facilitator)');
    expect((await leader.get(`${drafted.location!}/edit`)).status).toBe(200);
    await leader.get(drafted.location!);
    expect((await leader.post(`${drafted.location!}/submit`, {})).status).toBe(303);
  });

  it('an author cannot publish their own study; only a facilitator can', async () => {
    const { client: author } = await person('eager');
    await author.submit('/organisations/new', '/organisations', { kind: 'charity', name: 'Eager Charity' });
    await author.get('/practice/new');
    const draft = await author.post('/practice', { ...STUDY, organisationId: author.lastHtml!.querySelector('#organisationId option')!.getAttribute('value')! });
    await author.post(`${draft.location!}/submit`, {});
    await author.get(draft.location!);
    expect((await author.post(`${draft.location!}/publish`, {})).status).toBe(403);
  });
});

describe('a search matching more than the count cap', () => {
  it('says "More than 1,000 case studies" (not 1,001), pages only through the counted ones, and the API says more', async () => {
    await seedCaseStudies(t.database, 1_500, 'recombined');
    const page = await new TestClient(t.app).get('/practice?q=pupils&order=newest');
    expect(textOf(page.html.querySelector('#results h2'))).toBe('More than 1,000 case studies');
    const api = (await t.app.inject({ url: '/api/v1/case-studies?q=pupils' })).json();
    expect(api).toMatchObject({ total: 1000, more: true });
    expect((await t.app.inject({ url: '/api/v1/case-studies?q=attendance&theme=attendance' })).json().more).toBe(false);
  });
});

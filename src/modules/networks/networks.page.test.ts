import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../domain/networks/uploads';
import { createTestApp, textOf, type TestApp } from '../../../test/helpers/app';
import { latestEmail, pathOf, TestClient } from '../../../test/helpers/client';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const PASSWORD = 'network password long enough';
let n = 0;

async function person(name: string, options: { urn?: string; facilitator?: boolean } = {}) {
  const email = `${name}.${++n}@network.example`;
  const client = new TestClient(t.app, `10.80.${n}.1`);
  await client.submit('/sign-up', '/sign-up', { displayName: name, email, password: PASSWORD });
  await client.get(pathOf((await latestEmail(t.app, email)).links[0]!));
  const user = (await t.app.services.accounts.accounts.userByEmail(email))!;
  if (options.facilitator) await t.app.services.accounts.accounts.setPlatformRoles(user.id, { isFacilitator: true });
  await client.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
  let organisationId: string | undefined;
  if (options.urn) {
    await client.submit('/organisations/new', '/organisations', { kind: 'school', urn: options.urn });
    organisationId = (await t.app.services.accounts.accounts.organisationBySchool(Number(options.urn)))!.id;
  }
  return { client, email, organisationId: organisationId!, userId: user.id };
}

let facilitator: Awaited<ReturnType<typeof person>>;
let leader: Awaited<ReturnType<typeof person>>;
let outsider: Awaited<ReturnType<typeof person>>;
let networkId: string;

beforeAll(async () => {
  facilitator = await person('fran', { facilitator: true });
  leader = await person('leader', { urn: '103509' });
  outsider = await person('outsider', { urn: '136592' });
  await facilitator.client.get('/networks/new');
  const created = await facilitator.client.post('/networks', { name: 'Aston leaders’ group', purpose: 'Mutual support.', kind: 'mutual-support', themes: 'attendance' });
  expect(created.status).toBe(303);
  networkId = created.location!.split('/').pop()!;
  await facilitator.client.get(`/networks/${networkId}`);
  expect((await facilitator.client.post(`/networks/${networkId}/members`, { organisationId: leader.organisationId })).status).toBe(303);
}, 60_000);

describe('a network', () => {
  it('records meetings, actions, links, documents and what we learned; members see them', async () => {
    const page = `/networks/${networkId}`;
    await facilitator.client.get(page);
    expect((await facilitator.client.post(`${page}/meetings`, { heldOn: '2026-10-07', agenda: 'First-day calls', notes: 'Agreed a script.', attendance: leader.organisationId })).status).toBe(303);
    await leader.client.get(page);
    expect((await leader.client.post(`${page}/actions`, { description: 'Share our calling script', dueOn: '2027-01-15' })).status).toBe(303);
    expect((await leader.client.post(`${page}/links`, { linkTitle: 'National attendance guidance', url: 'https://www.gov.uk/government/publications/working-together-to-improve-school-attendance' })).status).toBe(303);
    expect((await leader.client.postMultipart(`${page}/documents`, { documentTitle: 'Calling script' }, { field: 'file', name: 'script.txt', content: 'Good morning, this is your tutor calling.' })).status).toBe(303);
    expect((await leader.client.post(`${page}/learning`, { text: 'Families answer a named tutor more often than the office.' })).status).toBe(303);
    const shown = await leader.client.get(page);
    const text = textOf(shown.html);
    for (const expected of ['First-day calls', 'Share our calling script', 'National attendance guidance', 'Calling script', 'Families answer a named tutor']) expect(text).toContain(expected);
    const link = shown.html.querySelectorAll('#section-resources + ul a').find((a) => a.textContent === 'Calling script')!.getAttribute('href')!;
    const download = await leader.client.get(link);
    expect(download.status).toBe(200);
    expect(download.body).toBe('Good morning, this is your tutor calling.');
    expect(download.headers['content-disposition']).toBe('attachment; filename="script.txt"');
    // Private: nobody outside sees any of it.
    expect((await outsider.client.get(page)).status).toBe(404);
    expect((await outsider.client.get(link)).status).toBe(404);
    expect(textOf((await outsider.client.get('/networks')).html)).not.toContain('Aston leaders');
    expect((await new TestClient(t.app, '10.80.250.1').get(link)).status).toBe(404);
    const otherFacilitator = await person('other-facilitator', { facilitator: true });
    expect((await otherFacilitator.client.get(page)).status).toBe(404);
    expect((await otherFacilitator.client.post(`${page}/learning`, { text: 'x' }, { csrf: otherFacilitator.client.csrfFor('/networks') })).status).not.toBe(303);
  });

  it('refuses an upload over the limit or of a disguised type, with clear messages, storing nothing', async () => {
    const page = `/networks/${networkId}`;
    const before = await t.database.count('network_resources');
    await leader.client.get(page);
    const disguised = await leader.client.postMultipart(`${page}/documents`, { documentTitle: 'Report' }, { field: 'file', name: 'report.pdf', content: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]) });
    expect(disguised.status).toBe(400);
    expect(textOf(disguised.html.querySelector('.govuk-error-summary'))).toContain('report.pdf is not really a PDF: its contents do not match its name');
    expect(disguised.html.querySelector('#documentTitle')!.getAttribute('value')).toBe('Report');
    await leader.client.get(page);
    const big = await leader.client.postMultipart(`${page}/documents`, { documentTitle: 'Big' }, { field: 'file', name: 'big.txt', content: Buffer.alloc(MAX_UPLOAD_BYTES + 10, 65) });
    expect(big.status).toBe(400);
    expect(textOf(big.html.querySelector('.govuk-error-summary'))).toContain('The file must be 5 MB or smaller');
    await leader.client.get(page);
    const none = await leader.client.postMultipart(`${page}/documents`, { documentTitle: 'Nothing' }, { field: 'file', name: '', content: '' });
    expect(textOf(none.html.querySelector('.govuk-error-summary'))).toContain('Choose a file to upload');
    expect(await t.database.count('network_resources')).toBe(before);
  });

  it('a facilitator drafts a case study from what a leader shared; the leader stays the author, edits and submits it', async () => {
    const page = `/networks/${networkId}`;
    await facilitator.client.get(page);
    const entry = facilitator.client.lastHtml!.querySelectorAll('form').find((f) => (f.getAttribute('action') ?? '').endsWith('/case-study'))!.getAttribute('action')!;
    const drafted = await facilitator.client.post(entry, {});
    expect(drafted.status).toBe(303);
    expect(drafted.location).toMatch(/^\/practice\/[0-9a-f-]+$/); // the facilitator lands on the draft, which they may read
    expect((await facilitator.client.get(drafted.location!)).status).toBe(200);
    const studyPath = drafted.location!;
    const [row] = await t.database.rows<{ author: string; drafted: string; status: string }>(sql`
      select author_id as author, drafted_with as drafted, status from case_studies where id = ${studyPath.split('/').pop()!}`);
    expect(row).toEqual({ author: leader.userId, drafted: facilitator.userId, status: 'draft' });
    expect((await latestEmail(t.app, leader.email)).subject).toBe('A case study draft for you to check: Aston leaders’ group');
    const shown = await leader.client.get(studyPath);
    expect(textOf(shown.html)).toContain('Drafted with fran (facilitator): the author edits it and submits it when it says what they want');
    expect((await facilitator.client.get(`${studyPath}/edit`)).status).not.toBe(200); // the facilitator is not an author
    expect((await leader.client.get(`${studyPath}/edit`)).status).toBe(200);
    await leader.client.get(studyPath);
    expect((await leader.client.post(`${studyPath}/submit`, {})).status).toBe(303);
  });
});

describe('demonstration networks', () => {
  it('ships two networks, private to their members', async () => {
    const [row] = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from networks where demonstration`);
    expect(row!.n).toBe(2);
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, textOf, type TestApp } from '../../../test/helpers/app';
import { latestEmail, pathOf, TestClient } from '../../../test/helpers/client';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const PASSWORD = 'correct horse battery staple';
let n = 0;
const uniqueEmail = (name: string) => `${name}.${++n}.${Date.now()}@school.example`;

/** Signs up, verifies by the emailed link and signs in; returns a client holding the session. */
async function signedIn(name: string, ip = `10.0.${n}.1`): Promise<{ client: TestClient; email: string }> {
  const email = uniqueEmail(name);
  const client = new TestClient(t.app, ip);
  const signUp = await client.submit('/sign-up', '/sign-up', { displayName: name, email, password: PASSWORD });
  expect(signUp.status).toBe(200);
  const verify = await client.get(pathOf((await latestEmail(t.app, email)).links[0]!));
  expect(verify.status).toBe(200);
  const signIn = await client.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
  expect(signIn.status).toBe(303);
  return { client, email };
}

async function auditEvents(event: string): Promise<number> {
  const [row] = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from audit_events where event = ${event}`);
  return row!.n;
}

describe('sign up, verify, sign in, sign out', () => {
  it('walks the whole journey, with the session cookie HttpOnly and SameSite=Lax', async () => {
    const email = uniqueEmail('ada');
    const client = new TestClient(t.app, '10.1.0.1');
    const page = await client.submit('/sign-up', '/sign-up', { displayName: 'Ada Lovelace', email, password: PASSWORD });
    expect(textOf(page.html.querySelector('h1'))).toBe('Check your email');

    const before = await client.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
    expect(before.status).toBe(400);
    expect(textOf(before.html.querySelector('.govuk-error-summary'))).toContain('Confirm your email address first');

    const mail = await latestEmail(t.app, email);
    expect(mail.subject).toBe('Confirm your email address for Trellis');
    const verified = await client.get(pathOf(mail.links[0]!));
    expect(textOf(verified.html.querySelector('h1'))).toBe('Email address confirmed');

    await client.get('/sign-in');
    const signIn = await client.post('/sign-in', { email: email.toUpperCase(), password: PASSWORD });
    expect(signIn.status).toBe(303);
    expect(signIn.location).toBe('/account');
    const cookie = [signIn.headers['set-cookie']].flat().find((c) => String(c).startsWith('trellis_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const account = await client.get('/account');
    expect(account.status).toBe(200);
    expect(textOf(account.html.querySelector('.govuk-summary-list'))).toContain(email);

    const out = await client.post('/sign-out', {});
    expect(out.location).toBe('/signed-out');
    expect((await client.get('/account')).status).toBe(303);
  });

  it('gives the same message for an unknown email and a wrong password, and audits both', async () => {
    const { email } = await signedIn('grace');
    const failuresBefore = await auditEvents('sign-in.failure');
    const client = new TestClient(t.app, '10.2.0.1');
    const wrong = await client.submit('/sign-in', '/sign-in', { email, password: 'not the right password' });
    const unknown = await client.submit('/sign-in', '/sign-in', { email: 'nobody@nowhere.example', password: 'not the right password' });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.html.querySelector('.govuk-error-summary__list'))).toBe('Enter a correct email address and password');
    expect(textOf(unknown.html.querySelector('.govuk-error-summary__list'))).toBe('Enter a correct email address and password');
    expect(wrong.html.querySelector('#email')?.getAttribute('value')).toBe(email);
    expect(wrong.html.querySelector('#password')?.getAttribute('value') ?? '').toBe('');
    expect(await auditEvents('sign-in.failure')).toBe(failuresBefore + 2);
  });

  it.each([
    [{ displayName: '', email: 'a@b.example', password: PASSWORD }, 'displayName', 'Enter your name'],
    [{ displayName: 'A', email: 'not-an-email', password: PASSWORD }, 'email', 'Enter an email address in the correct format'],
    [{ displayName: 'A', email: 'a@b.example', password: 'short' }, 'password', 'at least 12 characters'],
    [{ displayName: 'A', email: 'a@b.example', password: 'passwordpassword' }, 'password', 'one many people use'],
    [{ displayName: 'A'.repeat(101), email: 'a@b.example', password: PASSWORD }, 'displayName', '100 characters or fewer'],
    [{ displayName: 'A', email: 'a@b.example', password: 'x'.repeat(300) }, 'password', '256 characters or fewer'],
  ])('rejects a bad sign-up with a message by the field (%#)', async (fields, field, message) => {
    const client = new TestClient(t.app, `10.3.0.${n++}`);
    const page = await client.submit('/sign-up', '/sign-up', fields);
    expect(page.status).toBe(400);
    expect(page.html.querySelector(`.govuk-error-summary a[href="#${field}"]`)?.textContent).toContain(message);
    expect(page.html.querySelector('title')?.textContent).toMatch(/^Error: /);
  });

  it('does not reveal that an email already has an account', async () => {
    const { email } = await signedIn('existing');
    const client = new TestClient(t.app, '10.4.0.1');
    const page = await client.submit('/sign-up', '/sign-up', { displayName: 'Someone', email, password: 'another long password here' });
    expect(textOf(page.html.querySelector('h1'))).toBe('Check your email');
    expect((await latestEmail(t.app, email)).subject).toBe('Someone tried to create a Trellis account with your email');
  });
});

describe('password reset', () => {
  it('resets by a single-use link, signs out everywhere, and refuses the link a second time', async () => {
    const { client, email } = await signedIn('reset');
    const other = new TestClient(t.app, '10.5.0.2');
    await other.submit('/forgot-password', '/forgot-password', { email });
    const link = pathOf((await latestEmail(t.app, email)).links[0]!);
    await other.get(link);
    const done = await other.post('/reset-password', { token: new URL(link, 'http://x').searchParams.get('token')!, password: 'a brand new long passphrase', passwordConfirm: 'a brand new long passphrase' });
    expect(textOf(done.html.querySelector('h1'))).toBe('Password changed');
    expect((await client.get('/account')).status).toBe(303);
    const again = await other.get(link);
    expect(again.status).toBe(410);
    expect(again.body).toContain('already been used');
    const signIn = await other.submit('/sign-in', '/sign-in', { email, password: 'a brand new long passphrase' });
    expect(signIn.status).toBe(303);
  });

  it('says the same for an unknown address', async () => {
    const client = new TestClient(t.app, '10.5.0.3');
    const page = await client.submit('/forgot-password', '/forgot-password', { email: 'nobody.here@nowhere.example' });
    expect(textOf(page.html.querySelector('h1'))).toBe('Check your email');
  });

  it('rejects an expired link with a clear message', async () => {
    const { email } = await signedIn('expired');
    const client = new TestClient(t.app, '10.5.0.4');
    await client.submit('/forgot-password', '/forgot-password', { email });
    const link = pathOf((await latestEmail(t.app, email)).links[0]!);
    await t.database.rows(sql`update email_tokens set expires_at = now() - interval '1 minute' where purpose = 'reset-password'`);
    const page = await client.get(link);
    expect(page.status).toBe(410);
    expect(page.body).toContain('That link has expired');
  });
});

describe('organisations, invitations and roles', () => {
  it('creates a school from the directory, invites a colleague who accepts once, changes a role, and audits it all', async () => {
    const { client: head } = await signedIn('head');
    const created = await head.submit('/organisations/new', '/organisations', { kind: 'school', urn: '100025' });
    expect(created.status).toBe(303);
    const orgPath = created.location!;
    const org = await head.get(orgPath);
    expect(textOf(org.html.querySelector('h1'))).toBe('Gospel Oak Primary School');

    const colleagueEmail = uniqueEmail('deputy');
    const invited = await head.post(`${orgPath}/invitations`, { email: colleagueEmail, role: 'member' });
    expect(textOf(invited.html.querySelector('.govuk-notification-banner'))).toContain(`Invitation sent to ${colleagueEmail}`);
    const invitationLink = pathOf((await latestEmail(t.app, colleagueEmail)).links[0]!);

    const deputy = new TestClient(t.app, '10.6.0.2');
    await deputy.submit('/sign-up', '/sign-up', { displayName: 'Deputy', email: colleagueEmail, password: PASSWORD });
    await deputy.get(pathOf((await latestEmail(t.app, colleagueEmail)).links[0]!));
    await deputy.submit('/sign-in', '/sign-in', { email: colleagueEmail, password: PASSWORD });
    await deputy.get(invitationLink);
    const accepted = await deputy.post(invitationLink, {});
    expect(accepted.location).toBe(orgPath);
    const again = await deputy.get(invitationLink);
    expect(again.status).toBe(410);

    const page = await head.get(orgPath);
    const rows = page.html.querySelectorAll('tbody tr').map((tr) => textOf(tr));
    expect(rows.some((r) => r.includes('Deputy') && r.includes('Member'))).toBe(true);
    const deputyRow = page.html.querySelectorAll('tbody tr').find((tr) => textOf(tr.querySelector('th')) === 'Deputy')!;
    const roleAction = deputyRow.querySelector('form[action$="/role"]')!.getAttribute('action')!;
    const roleChange = await head.post(roleAction, { role: 'admin' });
    expect(roleChange.status).toBe(303);
    expect(textOf((await deputy.get(orgPath)).html.querySelector('form[action$="/invitations"] button'))).toBe('Send invitation');
    for (const event of ['organisation.created', 'invitation.sent', 'invitation.accepted', 'membership.role-changed']) {
      expect(await auditEvents(event)).toBeGreaterThan(0);
    }
  });

  it('refuses a second organisation for the same school and an unknown organisation kind', async () => {
    const { client } = await signedIn('second');
    const first = await client.submit('/organisations/new', '/organisations', { kind: 'school', urn: '100049' });
    expect(first.status).toBe(303);
    const { client: other } = await signedIn('third');
    const dup = await other.submit('/organisations/new', '/organisations', { kind: 'school', urn: '100049' });
    expect(dup.status).toBe(400);
    expect(textOf(dup.html.querySelector('.govuk-error-summary'))).toContain('Haverstock School is already on Trellis');
    const bogus = await other.submit('/organisations/new', '/organisations', { kind: 'spaceship', name: 'X' });
    expect(bogus.status).toBe(400);
    expect(textOf(bogus.html.querySelector('.govuk-error-summary'))).toContain('Choose what kind of organisation it is');
  });

  it('will not remove or demote the last admin', async () => {
    const { client } = await signedIn('lastadmin');
    const created = await client.submit('/organisations/new', '/organisations', { kind: 'charity', name: 'Reading Buddies', postcode: 'NW3 2JB' });
    const page = await client.get(created.location!);
    const roleAction = page.html.querySelectorAll('form').map((f) => f.getAttribute('action') ?? '').find((a) => a.endsWith('/role'))!;
    const demote = await client.post(roleAction, { role: 'member' });
    expect(demote.status).toBe(409);
    expect(demote.body).toContain('at least one admin');
  });
});

describe('security baseline', () => {
  it('rejects a form without a valid CSRF token and changes nothing', async () => {
    const email = uniqueEmail('csrf');
    const client = new TestClient(t.app, '10.7.0.1');
    await client.get('/sign-up');
    const missing = await client.post('/sign-up', { displayName: 'X', email, password: PASSWORD }, { csrf: null });
    expect(missing.status).toBe(403);
    const forged = await client.post('/sign-up', { displayName: 'X', email, password: PASSWORD }, { csrf: 'forged-token' });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('nothing was changed');
    const [row] = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from users where email_key = ${email}`);
    expect(row!.n).toBe(0);
  });

  it('rotates the session id at sign-in (no session fixation)', async () => {
    const { client, email } = await signedIn('fixation');
    const first = client.cookie('trellis_session')!;
    await client.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
    const second = client.cookie('trellis_session')!;
    expect(second).not.toBe(first);
    const attacker = new TestClient(t.app, '10.8.0.9');
    attacker.setCookie('trellis_session', first);
    expect((await attacker.get('/account')).status).toBe(303);
    // A session id planted before sign-in is not kept either.
    const victim = new TestClient(t.app, '10.8.0.10');
    victim.setCookie('trellis_session', 'planted-session-id-from-attacker-1234567890');
    await victim.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
    expect(victim.cookie('trellis_session')).not.toBe('planted-session-id-from-attacker-1234567890');
  });

  it('ends a session after the idle timeout', async () => {
    const { client } = await signedIn('idle');
    await t.database.rows(sql`update sessions set last_seen_at = now() - interval '3 hours'`);
    expect((await client.get('/account')).status).toBe(303);
  });

  it('ends a session at its absolute expiry, however active', async () => {
    const { client } = await signedIn('absolute');
    expect((await client.get('/account')).status).toBe(200);
    await t.database.rows(sql`update sessions set expires_at = now() - interval '1 second'`);
    expect((await client.get('/account')).status).toBe(303);
  });

  it('rate-limits repeated wrong passwords for one email from one address, with a clear message', async () => {
    const { email } = await signedIn('ratelimited');
    const client = new TestClient(t.app, '10.9.0.1');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await client.submit('/sign-in', '/sign-in', { email, password: `wrong password ${i}` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await client.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatch(/Too many attempts\. Wait \d+ minutes? and try again/);
  });

  it('refuses an oversized request body with 413 and a clear page, changing nothing', async () => {
    const client = new TestClient(t.app, '10.9.0.2');
    await client.get('/sign-up');
    const huge = await client.post('/sign-up', { displayName: 'x'.repeat(300_000), email: 'huge@school.example', password: PASSWORD });
    expect(huge.status).toBe(413);
    const [row] = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from users where email_key = 'huge@school.example'`);
    expect(row!.n).toBe(0);
  });

  it('shows the outbox in development and test only', async () => {
    expect((await new TestClient(t.app).get('/dev/outbox')).status).toBe(200);
  });
});

describe('account data', () => {
  it('downloads my data as JSON and deletes my account, keeping the row as "former member"', async () => {
    const { client, email } = await signedIn('leaver');
    const data = await client.get('/account/export');
    expect(data.headers['content-disposition']).toMatch(/attachment/);
    expect(JSON.parse(data.body).account.email).toBe(email);
    await client.get('/account/delete');
    const refused = await client.post('/account/delete', { password: PASSWORD });
    expect(refused.status).toBe(400);
    const deleted = await client.post('/account/delete', { password: PASSWORD, confirm: 'yes' });
    expect(textOf(deleted.html.querySelector('h1'))).toBe('Account deleted');
    const [row] = await t.database.rows<{ display_name: string; email: string }>(sql`select display_name, email from users where deleted_at is not null order by deleted_at desc limit 1`);
    expect(row!.display_name).toBe('Former member');
    expect(row!.email).not.toContain('leaver');
    expect((await client.get('/account')).status).toBe(303);
  });
});

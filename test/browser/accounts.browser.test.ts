import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations, freePort, launchBrowser, startServer, type RunningServer } from './harness';
import { expectHeading } from './pages';

/**
 * Accounts journeys in a real browser, against a real server on the embedded database, with a local OpenID Connect
 * provider (oidc-provider) started by the test. Emails are read from the development outbox page, as a developer would.
 */
let server: RunningServer;
let browser: Browser;
let provider: Server;
const PASSWORD = 'three random words please';
const OIDC_EMAIL = 'sso.teacher@school.example';

beforeAll(async () => {
  const appPort = await freePort();
  const issuerPort = await freePort();
  const issuer = `http://127.0.0.1:${issuerPort}`;
  const oidc = new Provider(issuer, {
    clients: [{ client_id: 'trellis', client_secret: 'trellis-test-secret', redirect_uris: [`http://127.0.0.1:${appPort}/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, email: OIDC_EMAIL, email_verified: true, name: 'Sam Single-Sign-On' }) }),
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
  });
  provider = oidc.listen(issuerPort, '127.0.0.1');
  server = await startServer({
    PORT: String(appPort),
    TRELLIS_PUBLIC_URL: `http://127.0.0.1:${appPort}`,
    TRELLIS_OIDC_ISSUER: issuer,
    TRELLIS_OIDC_CLIENT_ID: 'trellis',
    TRELLIS_OIDC_CLIENT_SECRET: 'trellis-test-secret',
    TRELLIS_OIDC_LABEL: 'Sign in with your school account',
    TRELLIS_ARGON2_MEMORY_KIB: '1024',
    TRELLIS_ARGON2_TIME_COST: '1',
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  provider?.close();
});

/** Opens the newest email to `to` in the development outbox and follows its first link. */
async function followEmailLink(page: Page, to: string) {
  await page.goto(`${server.baseUrl}/dev/outbox`);
  const email = page.locator('section', { has: page.locator(`text=To ${to}`) }).first();
  await email.locator('a').first().click();
  await page.waitForLoadState('domcontentloaded');
}

async function signUp(page: Page, name: string, email: string) {
  await page.goto(`${server.baseUrl}/sign-up`);
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Create a password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectHeading(page, 'Check your email');
}

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForLoadState('domcontentloaded');
}

describe('accounts journeys', () => {
  it('sign up → verify → sign in → create an organisation for a school → invite → colleague accepts → role change → sign out', async () => {
    const head = await (await browser.newContext({ bypassCSP: true })).newPage();
    await signUp(head, 'Hana Head', 'hana.head@gospeloak.example');
    await expectNoSeriousAxeViolations(head);
    await followEmailLink(head, 'hana.head@gospeloak.example');
    await expectHeading(head, 'Email address confirmed');
    await signIn(head, 'hana.head@gospeloak.example');
    await expectHeading(head, 'Your account');
    await expectNoSeriousAxeViolations(head);

    await head.goto(`${server.baseUrl}/organisations/new`);
    await expectNoSeriousAxeViolations(head);
    await head.getByLabel('School', { exact: true }).check();
    await head.getByLabel("The school's URN").fill('100025');
    await head.getByRole('button', { name: 'Add organisation' }).click();
    await expectHeading(head, 'Gospel Oak Primary School');
    const organisationUrl = head.url();
    await expectNoSeriousAxeViolations(head);

    await head.getByLabel('Their email address').fill('dev.deputy@gospeloak.example');
    await head.getByRole('button', { name: 'Send invitation' }).click();
    await expect(head.locator('.govuk-notification-banner').textContent()).resolves.toContain('Invitation sent');

    const deputy = await (await browser.newContext({ bypassCSP: true })).newPage();
    await signUp(deputy, 'Dev Deputy', 'dev.deputy@gospeloak.example');
    await followEmailLink(deputy, 'dev.deputy@gospeloak.example');
    await signIn(deputy, 'dev.deputy@gospeloak.example');
    await deputy.goto(`${server.baseUrl}/dev/outbox`);
    await deputy.locator('section', { hasText: 'You are invited to join Gospel Oak Primary School' }).locator('a').first().click();
    await expectHeading(deputy, 'Join Gospel Oak Primary School');
    await expectNoSeriousAxeViolations(deputy);
    await deputy.getByRole('button', { name: 'Accept and join' }).click();
    await expectHeading(deputy, 'Gospel Oak Primary School');

    await head.goto(organisationUrl);
    await head.locator('tr', { hasText: 'Dev Deputy' }).getByRole('button', { name: /^Make admin/ }).click();
    await expect(head.locator('tr', { hasText: 'Dev Deputy' }).textContent()).resolves.toContain('Organisation admin');
    await expectNoSeriousAxeViolations(head);

    await deputy.getByRole('button', { name: 'Sign out' }).click();
    await expectHeading(deputy, 'You have signed out');
    await deputy.goto(`${server.baseUrl}/account`);
    await expectHeading(deputy, 'Sign in');
  });

  it('resets a forgotten password by the emailed link', async () => {
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await signUp(page, 'Forgetful Fran', 'fran@school.example');
    await followEmailLink(page, 'fran@school.example');
    await page.goto(`${server.baseUrl}/forgot-password`);
    await expectNoSeriousAxeViolations(page);
    await page.getByLabel('Email address').fill('fran@school.example');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await expectHeading(page, 'Check your email');
    await page.goto(`${server.baseUrl}/dev/outbox`);
    await page.locator('section', { hasText: 'Reset your Trellis password' }).locator('a').first().click();
    await expectHeading(page, 'Choose a new password');
    await expectNoSeriousAxeViolations(page);
    await page.getByLabel('New password', { exact: true }).fill('a new and longer passphrase');
    await page.getByLabel('Confirm new password').fill('a new and longer passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectHeading(page, 'Password changed');
    await signIn(page, 'fran@school.example', 'a new and longer passphrase');
    await expectHeading(page, 'Your account');
  });

  it('signs in with OpenID Connect against a local provider, joining the organisation that invited that email', async () => {
    const admin = await (await browser.newContext({ bypassCSP: true })).newPage();
    await signUp(admin, 'Ola Org', 'ola@youthclub.example');
    await followEmailLink(admin, 'ola@youthclub.example');
    await signIn(admin, 'ola@youthclub.example');
    await admin.goto(`${server.baseUrl}/organisations/new`);
    await admin.getByLabel('Youth service').check();
    await admin.getByLabel('Name of the organisation').fill('Camden Youth Club');
    await admin.getByRole('button', { name: 'Add organisation' }).click();
    await admin.getByLabel('Their email address').fill(OIDC_EMAIL);
    await admin.getByRole('button', { name: 'Send invitation' }).click();

    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(`${server.baseUrl}/sign-in`);
    await expectNoSeriousAxeViolations(page);
    await page.getByRole('button', { name: 'Sign in with your school account' }).click();
    await page.locator('input[name=login]').fill('sam-sso');
    await page.locator('input[name=password]').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/account$/, { timeout: 20_000 }).catch(async () => {
      throw new Error(`ended at ${page.url()}: ${(await page.locator('body').textContent())?.slice(0, 500)}`);
    });
    await expectHeading(page, 'Your account');
    await expect(page.locator('.govuk-summary-list').textContent()).resolves.toContain(OIDC_EMAIL);
    await expect(page.locator('main').textContent()).resolves.toContain('Camden Youth Club');

    // A replayed or forged callback is refused with a clear page.
    await page.goto(`${server.baseUrl}/auth/oidc/callback?state=forged-state-value&code=forged`);
    await expectHeading(page, 'That link no longer works');
  });
});

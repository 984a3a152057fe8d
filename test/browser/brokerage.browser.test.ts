import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations, launchBrowser, newPerson, startServer, type RunningServer } from './harness';
import { expectHeading } from './pages';

/** Brokered support in a real browser, with axe on every page it visits. */
let server: RunningServer;
let browser: Browser;
const PASSWORD = 'three random words please';

beforeAll(async () => {
  server = await startServer({ TRELLIS_FACILITATOR_EMAILS: 'fran.facilitator@trellis.example', TRELLIS_ARGON2_MEMORY_KIB: '1024', TRELLIS_ARGON2_TIME_COST: '1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const person = (name: string, email: string): Promise<Page> => newPerson(browser, server.baseUrl, name, email, PASSWORD);

async function joinSchool(page: Page, urn: string) {
  await page.goto(`${server.baseUrl}/organisations/new`);
  await page.getByLabel('School', { exact: true }).check();
  await page.getByLabel("The school's URN").fill(urn);
  await page.getByRole('button', { name: 'Add organisation' }).click();
}

describe('brokered support journey', () => {
  it('a school posts a need → sees ranked offers with reasons → asks for an introduction → the other school accepts → both see the agreed support → a termly review is recorded', async () => {
    // Arena Academy offers attendance visits.
    const arena = await person('Ade Arena', 'ade@arena.example');
    await joinSchool(arena, '145580');
    await arena.goto(`${server.baseUrl}/support/offers/new`);
    await expectNoSeriousAxeViolations(arena);
    await arena.getByLabel('What can you offer?').fill('Attendance visits at Arena');
    await arena.getByLabel('Attendance', { exact: true }).check();
    await arena.getByLabel('A visit to see practice').check();
    await arena.getByLabel('Secondary', { exact: true }).check();
    await arena.getByLabel('Places').fill('2');
    await arena.getByLabel('In person', { exact: true }).check();
    await arena.getByRole('button', { name: 'Post the offer' }).click();
    await expectHeading(arena, 'Attendance visits at Arena');
    await expectNoSeriousAxeViolations(arena);

    // Holte School asks for help with persistent absence.
    const holte = await person('Hana Holte', 'hana@holte.example');
    await joinSchool(holte, '103509');
    await holte.goto(`${server.baseUrl}/support`);
    await expectNoSeriousAxeViolations(holte);
    await holte.getByRole('link', { name: 'Ask for support' }).click();
    await expectNoSeriousAxeViolations(holte);
    await holte.getByRole('button', { name: 'Post the need' }).click(); // empty: the error summary
    await expect(holte.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter a title');
    await expectNoSeriousAxeViolations(holte);
    await holte.getByLabel('What do you need help with?').fill('Persistent absence in year 9');
    await holte.getByLabel('Theme').selectOption('attendance');
    await holte.getByLabel('Persistent absence (% of pupils): 30.9% (2023/24)').check();
    await holte.getByLabel('Phase').selectOption('secondary');
    await holte.getByLabel('A visit to see practice').check();
    await holte.getByRole('button', { name: 'Post the need' }).click();
    await expectHeading(holte, 'Persistent absence in year 9');
    await expectNoSeriousAxeViolations(holte);

    // Ranked offers with reasons in words.
    const row = holte.locator('table tbody tr', { hasText: 'Attendance visits at Arena' });
    await expect(row.textContent()).resolves.toContain('Persistent absence 5.9 points better (25.1% against 30.9%, 2023/24)');
    await row.getByLabel('Message to Arena Academy').fill('Could our attendance lead visit this term?');
    await row.getByRole('button', { name: 'Ask for an introduction to Arena Academy' }).click();
    await expectHeading(holte, 'Holte School and Arena Academy');
    await expectNoSeriousAxeViolations(holte);

    // Arena hears of it in its inbox and accepts.
    await arena.goto(`${server.baseUrl}/inbox`);
    await expectNoSeriousAxeViolations(arena);
    await arena.getByRole('link', { name: /Holte School asks for an introduction/ }).click();
    await expectNoSeriousAxeViolations(arena);
    await expect(arena.content()).resolves.not.toContain('hana@holte.example');
    await arena.getByLabel('Objective 1', { exact: true }).fill('Halve persistent absence in year 9');
    await arena.getByLabel('Start date').fill('2027-01-06');
    await arena.getByLabel('End date').fill('2027-07-16');
    await arena.getByRole('button', { name: 'Accept and agree' }).click();
    await expectHeading(arena, 'Holte School with Arena Academy');
    await expectNoSeriousAxeViolations(arena);

    // Both see the agreed support, with contacts; Holte records a termly review.
    await holte.goto(`${server.baseUrl}/support/mine`);
    await expectNoSeriousAxeViolations(holte);
    await holte.getByRole('link', { name: /Holte School with Arena Academy/ }).click();
    await expect(holte.content()).resolves.toContain('ade@arena.example');
    await holte.getByLabel('Term').fill('Spring 2027');
    await holte.getByLabel('Green: on track').check();
    await holte.getByLabel('Notes').fill('Two visits done; first-day calls started.');
    await holte.getByRole('button', { name: 'Record the review' }).click();
    await expect(holte.locator('#reviews ~ section').first().textContent()).resolves.toContain('Spring 2027');
    await expectNoSeriousAxeViolations(holte);

    // A facilitator's overview.
    const fran = await person('Fran Facilitator', 'fran.facilitator@trellis.example');
    await fran.goto(`${server.baseUrl}/support/facilitator`);
    await expectNoSeriousAxeViolations(fran);
    await fran.goto(`${server.baseUrl}/support/needs/${(await holte.locator('a', { hasText: 'Persistent absence in year 9' }).first().getAttribute('href'))!.split('/').pop()}`);
    await expectNoSeriousAxeViolations(fran);
  });
});

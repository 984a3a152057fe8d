import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations, launchBrowser, newPerson, startServer, type RunningServer } from './harness';
import { expectHeading } from './pages';

/** The practice library's journey in a real browser, with axe on every page it visits. */
let server: RunningServer;
let browser: Browser;
const PASSWORD = 'three random words please';

beforeAll(async () => {
  server = await startServer({ TRELLIS_FACILITATOR_EMAILS: 'fiona.facilitator@trellis.example', TRELLIS_ARGON2_MEMORY_KIB: '1024', TRELLIS_ARGON2_TIME_COST: '1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const person = (name: string, email: string): Promise<Page> => newPerson(browser, server.baseUrl, name, email, PASSWORD);

describe('practice library journey', () => {
  it('draft → submit → returned with a comment → revised → published → found by a stemmed body word → learn more → the author sees it', async () => {
    const author = await person('Aisha Author', 'aisha@haverstock.example');
    await author.goto(`${server.baseUrl}/organisations/new`);
    await author.getByLabel('School', { exact: true }).check();
    await author.getByLabel("The school's URN").fill('100049');
    await author.getByRole('button', { name: 'Add organisation' }).click();

    await author.goto(`${server.baseUrl}/practice/new`);
    await expectNoSeriousAxeViolations(author);
    await author.getByLabel('Title', { exact: true }).fill('Breakfast club that got pupils in on time');
    await author.getByLabel('Summary').fill('A free breakfast club, open from 8am, ended the morning rush and late marks fell.');
    await author.getByLabel('The challenge').fill('Late marks and first-lesson absence were high.');
    await author.getByLabel('What we did').fill('We opened a free breakfast club run by teaching assistants and volunteers from a local charity.');
    await author.getByLabel('Attendance', { exact: true }).check();
    await author.getByRole('button', { name: 'Save' }).click();
    await expectHeading(author, 'Breakfast club that got pupils in on time');
    const studyUrl = author.url();
    await expectNoSeriousAxeViolations(author);
    await author.getByRole('button', { name: 'Submit for publishing' }).click();

    const facilitator = await person('Fiona Facilitator', 'fiona.facilitator@trellis.example');
    await facilitator.goto(`${server.baseUrl}/practice/mine`);
    await expectNoSeriousAxeViolations(facilitator);
    await facilitator.goto(studyUrl);
    await facilitator.getByLabel('Comments for the author').fill('Please say who the volunteers were and what it cost.');
    await facilitator.getByRole('button', { name: 'Return to the author' }).click();

    await author.goto(studyUrl);
    await expect(author.locator('.govuk-notification-banner').textContent()).resolves.toContain('what it cost');
    await expectNoSeriousAxeViolations(author);
    await author.getByRole('link', { name: 'Edit the case study' }).click();
    await expectNoSeriousAxeViolations(author);
    await author.getByLabel('What we did').fill('We opened a free breakfast club run by teaching assistants and volunteers from a local charity. Volunteers greeted pupils by name; food cost about £40 a day.');
    await author.getByRole('button', { name: 'Save' }).click();
    await author.getByRole('button', { name: 'Submit for publishing' }).click();

    await facilitator.goto(studyUrl);
    await facilitator.getByRole('button', { name: 'Publish' }).click();

    const reader = await person('Rory Reader', 'rory@othersch.example');
    await reader.goto(`${server.baseUrl}/practice`);
    await reader.getByLabel('Search case studies').fill('greeting volunteer');
    await reader.getByRole('button', { name: 'Search', exact: true }).click();
    await expectNoSeriousAxeViolations(reader);
    await reader.getByRole('link', { name: 'Breakfast club that got pupils in on time' }).click();
    await expectNoSeriousAxeViolations(reader);
    await reader.getByLabel('Your message').fill('Which charity provided the volunteers?');
    await reader.getByRole('button', { name: "I'd like to learn more" }).click();
    await expectHeading(reader, 'Request sent');

    await author.goto(`${server.baseUrl}/practice/requests`);
    await expect(author.locator('main').textContent()).resolves.toContain('Which charity provided the volunteers?');
    await expectNoSeriousAxeViolations(author);
  });
});

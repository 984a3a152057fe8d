import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations, launchBrowser, newPerson, startServer, type RunningServer } from './harness';
import { expectHeading } from './pages';

/** A partnership's journey in a real browser, with axe on every page it visits. */
let server: RunningServer;
let browser: Browser;
const PASSWORD = 'three random words please';

beforeAll(async () => {
  server = await startServer({ TRELLIS_ARGON2_MEMORY_KIB: '1024', TRELLIS_ARGON2_TIME_COST: '1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('partnership journey', () => {
  it('create a partnership → add an independent school and a youth service → set an attendance aim → log activities → see the family-adjusted change → move to alliance → print the report', async () => {
    const page: Page = await newPerson(browser, server.baseUrl, 'Hana Holte', 'hana@holte.example', PASSWORD);
    await page.goto(`${server.baseUrl}/organisations/new`);
    await page.getByLabel('School', { exact: true }).check();
    await page.getByLabel("The school's URN").fill('103509');
    await page.getByRole('button', { name: 'Add organisation' }).click();

    await page.goto(`${server.baseUrl}/partnerships`);
    await expectNoSeriousAxeViolations(page);
    await page.getByRole('link', { name: 'Start a partnership' }).click();
    await expectNoSeriousAxeViolations(page);
    await page.getByLabel('Name', { exact: true }).fill('Aston attendance partnership');
    await page.getByLabel('Purpose').fill('Bring persistently absent pupils back, with an independent school and the youth service.');
    await page.getByLabel('State–independent').check();
    await page.getByLabel('Attendance', { exact: true }).check();
    await page.getByLabel('When did it begin?').fill('2022-09-05');
    await page.getByRole('button', { name: 'Start the partnership' }).click();
    await expectHeading(page, 'Aston attendance partnership');
    await expectNoSeriousAxeViolations(page);

    for (const [name, kind, role] of [['Aston independent school', 'Independent school', 'Partner'], ['Aston youth service', 'Youth service', 'Agency']]) {
      await page.getByLabel('Its name').fill(name!);
      await page.getByLabel('What kind of organisation').selectOption({ label: kind! });
      await page.getByLabel(role!, { exact: true }).check();
      await page.getByRole('button', { name: 'Add member' }).click();
    }
    await expect(page.locator('#section-members + table').textContent()).resolves.toContain('Aston youth service');

    await page.getByLabel('Member school').selectOption({ label: 'Holte School' });
    await page.getByLabel('Measure').selectOption('absence.persistent');
    await page.getByLabel('The last year before the partnership began').check();
    await page.getByRole('button', { name: 'Set the aim' }).click();

    await page.getByLabel('Date', { exact: true }).fill('2023-03-01');
    await page.getByLabel('Participants').fill('Heads and youth workers');
    await page.getByLabel('Staff hours (optional)').fill('6');
    await page.getByRole('button', { name: 'Log the activity' }).click();
    await page.getByLabel('Date', { exact: true }).fill('2023-06-14');
    await page.getByLabel('Kind of activity').selectOption('shared-provision');
    await page.getByLabel('Pupils reached (optional)').fill('40');
    await page.getByRole('button', { name: 'Log the activity' }).click();
    await expectNoSeriousAxeViolations(page);

    // The family-adjusted change, year by year, from the published absence figures.
    const impact = page.locator('section', { hasText: 'Holte School: Persistent absence' });
    await expect(impact.textContent()).resolves.toContain('Baseline 2021/22: 32.7%');
    await expect(impact.locator('tbody tr').count()).resolves.toBe(2);

    await page.getByLabel('Alliance', { exact: true }).check();
    await page.getByLabel('Date of the decision').fill('2024-07-10');
    await page.getByLabel('Why the partners decided this').fill('Two years of joint work; heads agreed a three-year commitment.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expectHeading(page, 'Aston attendance partnership');
    await expect(page.locator('#section-stage').textContent()).resolves.toContain('Alliance');
    await expectNoSeriousAxeViolations(page);

    await page.getByRole('link', { name: 'Annual impact report (printable)' }).click();
    await expect(page.locator('h1').textContent()).resolves.toContain('Aston attendance partnership');
    await expectNoSeriousAxeViolations(page);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.trellis-header__nav').isVisible()).resolves.toBe(false);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.byteLength).toBeGreaterThan(10_000);
  });
});

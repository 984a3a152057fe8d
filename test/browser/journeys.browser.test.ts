import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations, launchBrowser, startServer, type RunningServer } from './harness';
import { expectHeading, SearchPage } from './pages';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each([
  { javaScriptEnabled: true, label: 'with JavaScript' },
  { javaScriptEnabled: false, label: 'without JavaScript' },
])('search → school → trust → local authority, $label', ({ javaScriptEnabled }) => {
  it('finds a school by a misspelt name and follows it to its trust and local authority, accessibly', async () => {
    const context = await browser.newContext({ javaScriptEnabled, bypassCSP: true });
    const axeBrowser = javaScriptEnabled ? undefined : browser;
    const page = await context.newPage();
    try {
      const search = await new SearchPage(page, server.baseUrl).open();
      await expectHeading(page, 'Find a school');
      await expectNoSeriousAxeViolations(page, axeBrowser);

      await search.searchFor('gospel ok scool');
      expect(await search.resultNames()).toContain('Gospel Oak School');
      await expectNoSeriousAxeViolations(page, axeBrowser);

      const school = await search.openResult('Gospel Oak School');
      await expectHeading(page, 'Gospel Oak School');
      expect(await school.chartCount()).toBeGreaterThanOrEqual(3);
      await expectNoSeriousAxeViolations(page, axeBrowser);

      await school.openTrust();
      expect(page.url()).toMatch(/\/trusts\/\d+$/);
      await expect(page.locator('a[href="/schools/135599"]').count()).resolves.toBe(1);
      await expectNoSeriousAxeViolations(page, axeBrowser);

      await page.goBack();
      await school.openLocalAuthority();
      await expectHeading(page, 'Sandwell');
      await expectNoSeriousAxeViolations(page, axeBrowser);

      await page.goto(`${server.baseUrl}/api/docs`);
      await expectHeading(page, /Trellis API/);
      await expectNoSeriousAxeViolations(page, axeBrowser);

      await page.goto(`${server.baseUrl}/schools/999999`);
      await expectHeading(page, 'Page not found');
      await expectNoSeriousAxeViolations(page, axeBrowser);
    } finally {
      await context.close();
    }
  });
});

describe('progressive enhancement', () => {
  it('shows a map when JavaScript runs, and the coordinates either way', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.baseUrl}/schools/100025`);
    await expect(page.locator('#school-map').isVisible()).resolves.toBe(true);
    await expect(page.locator('text=Latitude 51.55').count()).resolves.toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('updates results as you type', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.getByLabel('School name, URN, LAESTAB, postcode or town').pressSequentially('gospel oak', { delay: 20 });
    await page.waitForSelector('.trellis-results__item');
    expect(await page.locator('.trellis-results__item > a').allTextContents()).toContain('Gospel Oak Primary School');
    await context.close();
  });
});

describe('families and data packs', () => {
  it.each([
    { javaScriptEnabled: true, label: 'with JavaScript' },
    { javaScriptEnabled: false, label: 'without JavaScript' },
  ])('school → family → custom weights → data pack, accessibly, $label', async ({ javaScriptEnabled }) => {
    const context = await browser.newContext({ javaScriptEnabled, bypassCSP: true });
    const axeBrowser = javaScriptEnabled ? undefined : browser;
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/schools/100049`);
      await page.getByRole('link', { name: 'Family of similar schools' }).click();
      await expectHeading(page, 'Family of similar schools');
      await expect(page.locator('table.trellis-family-table').first().locator('tbody tr').count()).resolves.toBe(50);
      await expectNoSeriousAxeViolations(page, axeBrowser);

      if (!javaScriptEnabled) {
        // The details element opens without JavaScript too; fill the weights and show the custom family.
        await page.locator('summary', { hasText: 'Custom model' }).click();
      } else {
        await page.locator('summary', { hasText: 'Custom model' }).click();
      }
      await page.getByLabel('Custom: choose inputs and weights').check();
      await page.getByLabel('Pupil premium (%)', { exact: true }).fill('3');
      await page.getByLabel('KS2 prior attainment (scaled score)', { exact: true }).fill('1');
      await page.getByRole('button', { name: 'Show the family' }).click();
      await expect(page.url()).toContain('model=custom');
      await expect(page.locator('h2').first().textContent()).resolves.toBe('Custom model');
      await expectNoSeriousAxeViolations(page, axeBrowser);

      await page.goto(`${server.baseUrl}/schools/100049/data-pack`);
      await expectHeading(page, 'Data pack');
      await expect(page.locator('section h3').first().textContent()).resolves.toBeTruthy();
      await expectNoSeriousAxeViolations(page, axeBrowser);
    } finally {
      await context.close();
    }
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations, launchBrowser, startServer, type RunningServer } from './harness';
import { expectHeading } from './pages';

/** The area view in a real browser, with axe on each page; then the same pages with JavaScript off. */
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({});
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('area view', () => {
  it('a local-authority officer goes from the list of authorities to a cold spot, its schools and who could help', async () => {
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(`${server.baseUrl}/areas`);
    await expectHeading(page, 'Need and collaboration by local authority');
    await expect(page.locator('svg.trellis-choropleth path').count()).resolves.toBe(153);
    await expectNoSeriousAxeViolations(page);

    // The first cold spot named beside the map.
    const first = page.locator('h2:has-text("Cold spots (rule 1)") ~ ul a').first();
    const name = (await first.textContent())!.trim();
    await first.click();
    await expectHeading(page, name);
    await expect(page.getByText(`${name} is a cold spot`).count()).resolves.toBe(1);
    await expect(page.locator('#area-map').isVisible()).resolves.toBe(true); // Leaflet drew the schools
    await expectNoSeriousAxeViolations(page);

    await page.goto(`${server.baseUrl}/areas?level=region&show=need`);
    await expectNoSeriousAxeViolations(page);
    await page.goto(`${server.baseUrl}/areas/E12000007`);
    await expectHeading(page, 'London');
    await expectNoSeriousAxeViolations(page);
    await page.goto(`${server.baseUrl}/areas/trusts/4335`);
    await expectNoSeriousAxeViolations(page);
    await page.close();
  });

  it('works without JavaScript: the schools table stands in for the map', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/local-authorities/202`);
    expect(page.url()).toBe(`${server.baseUrl}/areas/E09000007`);
    await expectHeading(page, 'Camden');
    await expect(page.locator('#area-map').isVisible()).resolves.toBe(false);
    await expect(page.locator('#section-schools ~ table tbody tr').count()).resolves.toBe(6);
    await expectNoSeriousAxeViolations(page, browser);
    await context.close();
  });
});

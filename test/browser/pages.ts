import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** Page objects: what a person sees and does on each page, so journeys read like the person's steps. */
export class SearchPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}
  async open() {
    await this.page.goto(`${this.baseUrl}/`);
    return this;
  }
  async searchFor(text: string) {
    await this.page.getByLabel('School name, URN, LAESTAB, postcode or town').fill(text);
    await this.page.getByRole('button', { name: 'Search', exact: true }).click();
    await this.page.waitForLoadState('domcontentloaded');
    return this;
  }
  async resultNames(): Promise<string[]> {
    return this.page.locator('.trellis-results__item > a').allTextContents();
  }
  async openResult(name: string) {
    await this.page.locator('.trellis-results__item > a', { hasText: name }).first().click();
    await this.page.waitForLoadState('domcontentloaded');
    return new SchoolPage(this.page);
  }
}

export class SchoolPage {
  constructor(private readonly page: Page) {}
  async heading() {
    return (await this.page.locator('h1').textContent())?.trim();
  }
  async chartCount() {
    return this.page.locator('figure.trellis-chart svg').count();
  }
  async openTrust() {
    await this.page.locator('.govuk-summary-list a[href^="/trusts/"]').first().click();
    await this.page.waitForLoadState('domcontentloaded');
  }
  async openLocalAuthority() {
    await this.page.locator('.govuk-summary-list a[href^="/areas/"]').first().click(); // local-authority pages are area pages
    await this.page.waitForLoadState('domcontentloaded');
  }
}

export async function expectHeading(page: Page, text: string | RegExp) {
  const h1 = (await page.locator('h1').textContent())?.replace(/\s+/g, ' ').trim() ?? '';
  if (typeof text === 'string') expect(h1).toBe(text);
  else expect(h1).toMatch(text);
}

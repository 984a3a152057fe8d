import { freePort } from '../helpers/net';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Chromium from Debian, with the flags this closed network needs (PITFALLS.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

export { freePort };

export interface RunningServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts Trellis as a newcomer would (`npm start` equivalent) on a fresh embedded database with the sample data. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-browser-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TRELLIS_DATA_DIR: dataDir, LOG_LEVEL: process.env.TRELLIS_TEST_SERVER_LOG ?? 'warn', NODE_ENV: 'test', TRELLIS_LOAD_SAMPLE: 'true', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not start within 90 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs axe-core on the page and fails on any serious or critical violation, listing them. The page's strict CSP
 * forbids injected scripts, so the context must be made with `bypassCSP: true`; a page without JavaScript cannot run
 * axe at all, so its URL is checked in a second, JavaScript-enabled page of the given browser.
 */
export async function expectNoSeriousAxeViolations(page: Page, browser?: Browser): Promise<void> {
  if (browser) {
    const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
    try {
      const twin = await context.newPage();
      await twin.goto(page.url());
      await expectNoSeriousAxeViolations(twin);
    } finally {
      await context.close();
    }
    return;
  }
  await page.addScriptTag({ content: axe.source });
  const result = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${page.url()}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/** A new person in their own browser context: signs up, confirms the email from the development outbox, signs in. */
export async function newPerson(browser: Browser, baseUrl: string, name: string, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Create a password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.goto(`${baseUrl}/dev/outbox`);
  await page.locator('section', { has: page.locator(`text=To ${email}`) }).first().locator('a').first().click();
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForLoadState('domcontentloaded');
  return page;
}

import type { FastifyInstance } from 'fastify';
import { parse, type HTMLElement } from 'node-html-parser';
import { buildApp, type AppDeps } from '../../src/app';
import { testConfig } from '../../src/config';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/** An app on a database holding the committed sample data (one per test file: PGlite takes seconds to start). */
export async function createTestApp(observeRoutes?: AppDeps['observeRoutes']): Promise<TestApp> {
  const database = await createTestDatabase({ sample: true });
  const app = await buildApp({ config: testConfig(), database, ...(observeRoutes ? { observeRoutes } : {}) });
  await app.ready();
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export interface Page {
  status: number;
  html: HTMLElement;
  text: string;
  headers: Record<string, unknown>;
}

export async function getPage(app: FastifyInstance, url: string): Promise<Page> {
  const response = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
  return { status: response.statusCode, html: parse(response.body), text: response.body, headers: response.headers };
}

/** The visible text of an element, whitespace collapsed. */
export function textOf(el: HTMLElement | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { testConfig } from '../../config';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database';
import { latestEmail, pathOf, TestClient } from '../../../test/helpers/client';

/** Logs must hold no personal data or secrets: run a sign-up and sign-in journey and search the logs for them. */
let db: TestDatabase;
let app: FastifyInstance;
const lines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  app = await buildApp({ config: testConfig({ LOG_LEVEL: 'info' }), database: db, logStream });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('log hygiene', () => {
  it('logs no email address, password, session cookie or emailed token from a sign-up and sign-in journey, and names the request on every line', async () => {
    const email = 'private.person@school.example';
    const password = 'a very private passphrase';
    const client = new TestClient(app);
    await client.submit('/sign-up', '/sign-up', { displayName: 'Private Person', email, password });
    const link = pathOf((await latestEmail(app, email)).links[0]!);
    await client.get(link);
    await client.submit('/sign-in', '/sign-in', { email, password });
    await client.get('/account');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const session = client.cookie('trellis_session')!;
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [email, password, session, token, 'private.person']) expect(log).not.toContain(secret);
    expect(log).toContain('/verify-email?token=[redacted]');
    // Every line came from a request of the journey, so every line names its request.
    for (const line of lines) expect(JSON.parse(line).reqId, line).toMatch(/^[0-9a-f-]{36}$/);
  });
});

import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { testConfig } from '../../config';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database';
import { TestClient, pathOf } from '../../../test/helpers/client';
import type { FastifyInstance } from 'fastify';

/** Email through a real SMTP server started by the test (loopback only). */
const received: { to: string; subject: string; text: string }[] = [];
let smtp: SMTPServer;
let db: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push({ to: (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text ?? '', subject: mail.subject ?? '', text: mail.text ?? '' });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  db = await createTestDatabase();
  app = await buildApp({ config: testConfig({ TRELLIS_SMTP_URL: `smtp://127.0.0.1:${port}`, TRELLIS_MAIL_FROM: 'Trellis <trellis@test.example>' }), database: db });
});
afterAll(async () => {
  await app.close();
  await db.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('email over SMTP', () => {
  it('sends the verification email through the SMTP server, and its link confirms the address', async () => {
    const client = new TestClient(app);
    await client.submit('/sign-up', '/sign-up', { displayName: 'Smtp Sam', email: 'sam@smtp.example', password: 'a long enough password' });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ to: 'sam@smtp.example', subject: 'Confirm your email address for Trellis' });
    const link = /https?:\/\/\S+/.exec(received[0]!.text)![0];
    const verified = await client.get(pathOf(link));
    expect(verified.status).toBe(200);
    const [stored] = await app.services.accounts.accounts.emails(1);
    expect(stored).toMatchObject({ transport: 'smtp', to: 'sam@smtp.example' });
    expect(stored!.sentAt).not.toBeNull();
  });
});

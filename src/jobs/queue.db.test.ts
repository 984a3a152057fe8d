import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { AccountRepository } from '../db/repositories/account.repository';
import { NetworkRepository } from '../db/repositories/network.repository';
import { Mailer } from '../modules/accounts/mailer';
import { NetworksService } from '../modules/networks/networks.service';
import { ACTION_REMINDERS, startJobs, type Jobs } from './queue';

let db: TestDatabase;
let jobs: Jobs;
let service: NetworksService;
const quiet = { info: () => undefined, error: () => undefined };

beforeAll(async () => {
  db = await createTestDatabase();
  service = new NetworksService(db, new Mailer(new AccountRepository(db), { from: 'trellis@test.invalid' }), 'http://trellis.test');
  jobs = await startJobs(db, { reminders: () => service.sendReminders() }, quiet);
}, 60_000);
afterAll(async () => {
  await jobs?.stop();
  await db.close();
});

const isoIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('the job queue (pg-boss in the database)', () => {
  it('runs the reminder job: owners of actions due within three days get one email each, once', async () => {
    const accounts = new AccountRepository(db);
    const owner = await accounts.createUser({ email: 'owner@jobs.example', displayName: 'Owner', passwordHash: null, emailVerified: true });
    const later = await accounts.createUser({ email: 'later@jobs.example', displayName: 'Later', passwordHash: null, emailVerified: true });
    const networks = new NetworkRepository(db);
    const id = await networks.create({ name: 'Jobs network', purpose: '', kind: 'mutual-support', themes: [], facilitatorId: owner.id });
    await networks.addAction(id, { description: 'Send the template', ownerId: owner.id, dueOn: isoIn(2), createdBy: owner.id });
    await networks.addAction(id, { description: 'Plan the summer term', ownerId: later.id, dueOn: isoIn(30), createdBy: owner.id });

    await jobs.boss.send(ACTION_REMINDERS, {});
    let emails: { to: string; subject: string }[] = [];
    for (let i = 0; i < 60 && emails.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      emails = (await accounts.emails(50)).filter((e) => e.to.endsWith('@jobs.example'));
    }
    expect(emails.map((e) => e.to)).toEqual(['owner@jobs.example']);
    expect(emails[0]!.subject).toBe(`Action due ${isoIn(2)}: Jobs network`);
    // Run again (as a second server or a retry would): nobody is reminded twice.
    expect(await service.sendReminders()).toBe(0);
    expect((await accounts.emails(50)).filter((e) => e.to.endsWith('@jobs.example')).length).toBe(1);
  }, 60_000);

  it('reports the jobs waiting in each queue (the metrics\' queue depth)', async () => {
    const queue = 'queue-depth-check';
    await jobs.boss.createQueue(queue);
    expect((await jobs.depth())[queue]).toBe(0);
    await jobs.boss.send(queue, { n: 1 });
    await jobs.boss.send(queue, { n: 2 });
    const depth = await jobs.depth();
    expect(depth[queue]).toBe(2);
    expect(depth).toHaveProperty(ACTION_REMINDERS);
    expect(Object.keys(depth).some((name) => name.startsWith('__pgboss'))).toBe(false);
  });
});

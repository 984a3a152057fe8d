import { spawn, type ChildProcess } from 'node:child_process';
import { hash } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client';
import { AccountRepository } from '../../src/db/repositories/account.repository';
import { NetworkRepository } from '../../src/db/repositories/network.repository';
import { ACTION_REMINDERS } from '../../src/jobs/queue';
import { scratchPostgres } from '../helpers/database';
import { freePort } from '../helpers/net';

/**
 * Two app servers, one PostgreSQL (issue 10): both start together on an empty database (one migrates and loads the
 * sample, the other waits); a session made on one works on the other; the sign-in rate limit is counted across
 * both; jobs are shared and each runs once. PostgreSQL only (the embedded database has one process): CI runs the
 * db project on PostgreSQL.
 */
const onPostgres = process.env.TRELLIS_TEST_DB === 'postgres';
const PASSWORD = 'correct horse battery staple';

interface Server {
  base: string;
  child: ChildProcess;
  log: string;
}

let url = '';
let drop: (() => Promise<void>) | undefined;
let servers: Server[] = [];
let db: Database;

async function start(): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: url, NODE_ENV: 'test', LOG_LEVEL: 'info', TRELLIS_LOAD_SAMPLE: 'true', TRELLIS_ARGON2_MEMORY_KIB: '1024', TRELLIS_ARGON2_TIME_COST: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server: Server = { base: `http://127.0.0.1:${port}`, child, log: '' };
  child.stdout!.on('data', (c: Buffer) => (server.log += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (server.log += c.toString()));
  return server;
}

async function ready(server: Server) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`server exited with ${server.child.exitCode}:\n${server.log}`);
    try {
      if ((await fetch(`${server.base}/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready within 180 s:\n${server.log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A minimal browser: cookies per server, the CSRF token from the sign-in form. */
async function signIn(server: Server, email: string, password: string): Promise<{ status: number; session: string | null }> {
  const form = await fetch(`${server.base}/sign-in`);
  const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const response = await fetch(`${server.base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith('trellis_session='))?.split(';')[0]?.slice('trellis_session='.length) ?? null;
  return { status: response.status, session };
}

describe.skipIf(!onPostgres)('two app servers on one PostgreSQL', () => {
  beforeAll(async () => {
    const scratch = await scratchPostgres('trellis_two');
    url = scratch.url;
    drop = scratch.drop;
    // Both start at once on the empty database.
    servers = await Promise.all([start(), start()]);
    await Promise.all(servers.map(ready));
    db = await openDatabase({ url, migrate: false });
    const accounts = new AccountRepository(db);
    await accounts.createUser({ email: 'two.servers@example.org', displayName: 'Two Servers', passwordHash: await hash(PASSWORD), emailVerified: true });
  }, 240_000);

  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
    await db?.close();
    await drop?.();
  }, 60_000);

  it('loaded the sample once, though both started on an empty database', async () => {
    const [row] = await db.rows<{ schools: number; studies: number; partnerships: number }>(sql`
      select (select count(*)::int from establishments) as schools, (select count(*)::int from case_studies) as studies, (select count(*)::int from partnerships) as partnerships`);
    expect(row).toEqual({ schools: 1924, studies: 30, partnerships: 5 });
    expect(servers.map((s) => s.log.includes('empty database: loading the sample data')).filter(Boolean)).toHaveLength(1);
  });

  it('a session made on one server works on the other', async () => {
    const { status, session } = await signIn(servers[0]!, 'two.servers@example.org', PASSWORD);
    expect(status).toBe(303);
    expect(session).toBeTruthy();
    for (const s of servers) {
      const account = await fetch(`${s.base}/account`, { headers: { cookie: `trellis_session=${session}` }, redirect: 'manual' });
      expect(account.status, s.base).toBe(200);
      expect(await account.text()).toContain('Two Servers');
    }
  });

  it('counts the sign-in rate limit across both servers (10 tries in 15 minutes per address and email)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await signIn(servers[i % 2]!, 'guess@example.org', `wrong password ${i}`)).status);
    expect(statuses.every((s) => s !== 429)).toBe(true);
    // The eleventh try is refused on either server.
    expect((await signIn(servers[0]!, 'guess@example.org', 'wrong again')).status).toBe(429);
    expect((await signIn(servers[1]!, 'guess@example.org', 'wrong again')).status).toBe(429);
  });

  it('shares the job queue: each job runs once, on one of the servers, and nobody is reminded twice', async () => {
    // An action due tomorrow in a demonstration network, owned by a person with an email address.
    const networks = new NetworkRepository(db);
    const [network] = await db.rows<{ id: string; facilitator_id: string }>(sql`select id, facilitator_id from networks order by created_at limit 1`);
    const [owner] = await db.rows<{ id: string }>(sql`select id from users where email = 'two.servers@example.org'`);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await networks.addAction(network!.id, { description: 'Send the two-server plan', ownerId: owner!.id, dueOn: tomorrow, createdBy: network!.facilitator_id });
    const logLines = () => servers.reduce((n, s) => n + (s.log.match(/jobs: \d+ action reminders? sent/g)?.length ?? 0), 0);
    const before = logLines();

    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', supervise: false, schedule: false });
    await boss.start();
    const ids = await Promise.all([1, 2, 3, 4, 5, 6].map(() => boss.send(ACTION_REMINDERS, {})));
    const deadline = Date.now() + 60_000;
    while (logLines() - before < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 3_000)); // time for any second run to show itself
    const jobs = await db.rows<{ state: string; n: number }>(sql.raw(`select state, count(*)::int as n from pgboss.job where id in (${ids.map((id) => `'${id}'`).join(',')}) group by state`));
    await boss.stop({ graceful: false, wait: true });

    expect(jobs).toEqual([{ state: 'completed', n: 6 }]);
    expect(logLines() - before).toBe(6); // six jobs, six runs in all across the two servers: none ran twice
    const [emails] = await db.rows<{ n: number }>(sql`select count(*)::int as n from emails where subject like 'Action due%' and "to" = 'two.servers@example.org'`);
    expect(emails!.n).toBe(1);
  }, 120_000);
});

import PgBoss from 'pg-boss';
import type { Database } from '../db/client';

/** The daily job that emails owners of network actions due within three days (each action once). */
export const ACTION_REMINDERS = 'network-action-reminders';

export interface Jobs {
  boss: PgBoss;
  /** Jobs waiting to run (created, or failed and to be retried) in each queue: the metrics' queue depth. */
  depth(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * The job queue: pg-boss 10 keeps jobs in the database (schema `pgboss`), so they survive restarts and several app
 * servers share them — one of them runs each job. It talks to PGlite or PostgreSQL through `Database.query`.
 */
export async function startJobs(database: Database, handlers: { reminders: () => Promise<number> }, log: { info(m: string): void; error(e: unknown): void }): Promise<Jobs> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => database.query(text, values) },
    schema: 'pgboss',
    // PGlite has one connection: keep polling gentle.
    supervise: true,
    schedule: true,
  });
  boss.on('error', (error) => log.error(error));
  await boss.start();
  await boss.createQueue(ACTION_REMINDERS);
  await boss.schedule(ACTION_REMINDERS, '0 7 * * *', {}, { tz: 'Europe/London' });
  await boss.work(ACTION_REMINDERS, { pollingIntervalSeconds: 2 }, async () => {
    const sent = await handlers.reminders();
    log.info(`jobs: ${sent} action reminder${sent === 1 ? '' : 's'} sent`);
  });
  const depth = async () => {
    const queues = (await boss.getQueues()).filter((q) => !q.name.startsWith('__pgboss'));
    return Object.fromEntries(await Promise.all(queues.map(async (q) => [q.name, await boss.getQueueSize(q.name)] as const)));
  };
  return { boss, depth, stop: () => boss.stop({ graceful: true, wait: true, timeout: 5_000 }) };
}

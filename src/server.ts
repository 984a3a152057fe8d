import { buildApp } from './app';
import { startJobs } from './jobs/queue';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/client';
import { EstablishmentRepository } from './db/repositories/establishment.repository';
import { loadSample } from './importers/sample';

/** Operators expect a stopped server to be gone within this (systemd's and Kubernetes' grace periods are longer). */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Process entry: parse config, open (and migrate) the database, load the sample data into an empty database,
 * build the app, listen, and close gracefully on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.TRELLIS_DATA_DIR });
  const app = await buildApp({ config, database });
  const where = database.kind === 'pglite' ? `embedded database in ${config.TRELLIS_DATA_DIR}` : 'PostgreSQL';
  if (config.TRELLIS_LOAD_SAMPLE) {
    // Several app servers may start together on one empty PostgreSQL: one loads the sample, the others wait and
    // then find it loaded.
    await database.exclusive(727002, async () => {
      if ((await new EstablishmentRepository(database).count()) > 0) return;
      app.log.info(`empty database: loading the sample data from ${config.TRELLIS_SAMPLE_DIR}`);
      await loadSample(database, config.TRELLIS_SAMPLE_DIR, (m) => app.log.info(m), app.metrics ?? undefined);
    });
  }
  // Reminders and other background work, from the job queue in the database (off with TRELLIS_JOBS=off).
  // Setting the queue up (its schema, queues, schedules) is serialised between servers: pg-boss deadlocks when two
  // processes create the same queue at once. Working it is not: every server takes jobs, each job goes to one.
  const jobs =
    config.TRELLIS_JOBS === 'off'
      ? null
      : await database.exclusive(727003, () =>
          startJobs(database, { reminders: () => app.services.networks.sendReminders() }, { info: (m) => app.log.info(m), error: (e) => app.log.error({ err: e }, 'job queue error') }),
        );
  if (jobs) app.metrics?.watchQueue(() => jobs.depth());

  // On SIGTERM (an orchestrator or systemd stopping us) or SIGINT: stop accepting connections and taking jobs at once,
  // let requests in flight and a running job finish, then close the database they use. All within 10 s, or exit 1.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: closing (no new connections; finishing requests in flight)`);
    const timer = setTimeout(() => {
      app.log.error(`did not close within ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    timer.unref();
    try {
      await Promise.all([app.close(), jobs?.stop()]);
      await database.close();
      app.log.info('closed');
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error while closing');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info(`Trellis is running on http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT} (${where})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

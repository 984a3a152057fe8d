/**
 * The server under test for page benchmarks: the real app on the sample data, plus one extra route, a bare
 * Fastify + Nunjucks page, as the yardstick the issue asks for ("throughput as a ratio of a bare page served by
 * the same process"). Prints `READY <port>` when listening.
 */
import nunjucks from 'nunjucks';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { EstablishmentRepository } from '../src/db/repositories/establishment.repository';
import { loadSample } from '../src/importers/sample';

const config = { ...loadConfig(), LOG_LEVEL: 'silent' as const, NODE_ENV: 'production' as const };
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: process.env.BENCH_DATA_DIR });
if ((await new EstablishmentRepository(database).count()) === 0) await loadSample(database, 'data/sample');
const app = await buildApp({ config, database });
const bare = new nunjucks.Environment(null, { autoescape: true });
const template = nunjucks.compile('<!doctype html><html lang="en"><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1><p>{{ text }}</p></body></html>', bare);
app.get('/__bench/bare', async (_req, reply) => reply.type('text/html; charset=utf-8').send(template.render({ title: 'Bare page', text: 'Hello' })));
// The same bare page padded to the size of a school page (35 kB), to separate rendering cost from transfer cost.
const padding = 'Trellis '.repeat(4400);
app.get('/__bench/bare-35k', async (_req, reply) => reply.type('text/html; charset=utf-8').send(template.render({ title: 'Bare page', text: padding })));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address() as { port: number };
process.stdout.write(`READY ${address.port}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await database.close();
  process.exit(0);
});

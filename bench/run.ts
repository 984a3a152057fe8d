/**
 * `npm run bench`: the foundation's speed targets, measured on this machine and written to docs/benchmarks.md.
 *  - import of a 50,000-row GIAS-format file (resampled real rows) on PGlite and on PostgreSQL: target ≤ 20 s;
 *  - school page latency at 20 concurrent connections (autocannon): target p95 ≤ 50 ms, and throughput as a ratio of
 *    a bare Fastify + Nunjucks page served by the same process.
 * Options: --only=import,pages  --rows=50000  --duration=15 (seconds per page run)  --no-write (leave docs alone)
 * Traffic goes only to 127.0.0.1; every loop is bounded.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase } from '../src/db/client';
import { importGias } from '../src/importers/gias.importer';
import { generateGias } from './generate-gias';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const only = new Set((args.get('only') ?? 'import,pages').split(','));
const rows = Number(args.get('rows') ?? 50_000);
const duration = Number(args.get('duration') ?? 15);
const write = !args.has('no-write');
const pgAdmin = process.env.TRELLIS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

mkdirSync('bench/out', { recursive: true });
const lines: string[] = [];
const log = (line: string) => {
  console.log(line);
  lines.push(line);
};

async function timeImport(label: string, open: () => Promise<{ database: Awaited<ReturnType<typeof openDatabase>>; cleanup: () => Promise<void> }>, file: string) {
  const { database, cleanup } = await open();
  try {
    const started = performance.now();
    const result = await importGias(database, file);
    const seconds = (performance.now() - started) / 1000;
    log(`| GIAS import, ${result.rows.toLocaleString('en-GB')} rows, ${label} | ${seconds.toFixed(1)} s | ≤ 20 s | ${seconds <= 20 ? 'met' : '**missed**'} |`);
  } finally {
    await database.close();
    await cleanup();
  }
}

async function benchImport() {
  const file = join('bench/out', `gias-${rows}.csv`);
  if (!existsSync(file)) generateGias(rows, file);
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-'));
  await timeImport('PGlite (on disk)', async () => ({ database: await openDatabase({ dataDir: dir }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) }), file);
  const name = `trellis_bench_${Date.now()}`;
  try {
    const admin = new pg.Client({ connectionString: pgAdmin });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
  } catch (error) {
    log(`| GIAS import, PostgreSQL | not measured: ${(error as Error).message} | ≤ 20 s | not measured |`);
    return;
  }
  const url = new URL(pgAdmin);
  url.pathname = `/${name}`;
  await timeImport(
    'PostgreSQL 15 (local)',
    async () => ({
      database: await openDatabase({ url: url.toString() }),
      cleanup: async () => {
        const admin = new pg.Client({ connectionString: pgAdmin });
        await admin.connect();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    }),
    file,
  );
}

interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(baseUrl: string, paths: string[], seconds: number, amount?: number): Promise<LoadResult> {
  const times: number[] = [];
  let i = 0;
  const result = await autocannon({
    url: baseUrl,
    connections: 20,
    ...(amount ? { amount } : { duration: seconds }),
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
    setupClient: (client) => client.on('response', (_status: number, _bytes: number, responseTime: number) => times.push(responseTime)),
  });
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
  return { requestsPerSecond: result.requests.average, p50: pct(50), p95: pct(95), p99: pct(99), errors: result.errors, non2xx: result.non2xx };
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

async function benchPages() {
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-bench-pages-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
    env: { ...process.env, BENCH_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench server did not start in 120 s')), 120_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        const m = /READY (\d+)/.exec(chunk.toString());
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    // Schools with the most figures on their pages: every sample school that has absence data.
    const urns = (JSON.parse(readFileSync('data/sample/measures/EstablishmentAbsence.json', 'utf8')) as { Id: string }[]).map((r) => r.Id);
    const schoolPaths = urns.map((u) => `/schools/${u}`);
    const runs: [string, string[], string][] = [
      ['Bare Fastify + Nunjucks page (same process)', ['/__bench/bare'], ''],
      ['Bare Fastify + Nunjucks page padded to 35 kB, the size of a school page', ['/__bench/bare-35k'], ''],
      ['School page `/schools/:urn`, 1,912 schools in turn, steady state (page cache warm)', schoolPaths, '≤ 50 ms'],
      ['Search `/?q=…` (typo-tolerant name search)', ['/?q=gospel+ok', '/?q=havrstock', '/?q=NW3+2JB', '/?q=academy&region=H', '/?q=st+marys'], ''],
      ['Local-authority page `/local-authorities/:code`', ['/local-authorities/202', '/local-authorities/330', '/local-authorities/886'], ''],
    ];
    // Every school page once, in turn, on a cold cache: what the first reader of each page waits.
    const cold = await load(baseUrl, schoolPaths, 0, schoolPaths.length);
    log(
      `| School page, first view of each of ${schoolPaths.length.toLocaleString('en-GB')} schools (cold: rendered, not cached) | ${Math.round(cold.requestsPerSecond).toLocaleString('en-GB')} req/s; p50 ${ms(cold.p50)}, p95 ${ms(cold.p95)}, p99 ${ms(cold.p99)}; ${cold.errors} errors, ${cold.non2xx} non-2xx | ≤ 50 ms | ${cold.p95 <= 50 ? 'met' : '**missed**'} |`,
    );
    const results: LoadResult[] = [];
    for (const [label, paths, target] of runs) {
      await load(baseUrl, paths, 3); // warm caches and the JIT
      const r = await load(baseUrl, paths, duration);
      results.push(r);
      const met = target ? (r.p95 <= 50 ? 'met' : '**missed**') : '';
      log(`| ${label} | ${Math.round(r.requestsPerSecond).toLocaleString('en-GB')} req/s; p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}; ${r.errors} errors, ${r.non2xx} non-2xx | ${target || '–'} | ${met || '–'} |`);
    }
    const ratio = results[2]!.requestsPerSecond / results[0]!.requestsPerSecond;
    const sized = results[2]!.requestsPerSecond / results[1]!.requestsPerSecond;
    log(`| School page throughput ÷ bare page throughput | ${ratio.toFixed(2)} | ≥ 0.5 (PITFALLS.md) | ${ratio >= 0.5 ? 'met' : '**missed**'} |`);
    log(`| School page throughput ÷ bare page of the same size | ${sized.toFixed(2)} | ≥ 0.5 | ${sized >= 0.5 ? 'met' : '**missed**'} |`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const started = new Date();
log(`| measure | result | target | |`);
log(`|---|---|---|---|`);
if (only.has('import')) await benchImport();
if (only.has('pages')) await benchPages();

if (write) {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const section = [
    `<!-- bench:foundation:start -->`,
    `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}, with \`npm run bench\` (${duration} s per page run after a 3 s warm-up, 20 connections, autocannon; p95 computed from every response time).`,
    '',
    ...lines,
    `<!-- bench:foundation:end -->`,
  ].join('\n');
  const path = 'docs/benchmarks.md';
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const next = current.includes('<!-- bench:foundation:start -->')
    ? current.replace(/<!-- bench:foundation:start -->[\s\S]*<!-- bench:foundation:end -->/, section)
    : `${current.trimEnd()}\n\n## Foundation: import and pages\n\n${section}\n`;
  writeFileSync(path, next);
  console.log(`\nwritten to ${path}`);
}
process.exit(0);
